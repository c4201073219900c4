"""The compact terminal table: report rows reshaped to fit 100 columns.

A full table of the summary needs about 180 columns, and a terminal of 80–120 would cut
every cell. The compact form keeps every figure a reader compares and moves the rest:

* technique and model share one cell (the model on the second line), like a value and
  its interval;
* a column with the same value in every row (the problems, the runs, the run of a
  per-problem table) becomes the table's caption;
* per problem, the speedup the score comes from is shown with its own interval (the
  confirmation's or the selection's), instead of both measurements side by side;
* a verdict share goes under its count, tokens in and out share a cell;
* counts the verdict table has, significance that %Opt and ``Opt`` state, and what the
  notes under the table say are left out (:data:`COMPACT_HIDDEN`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table

from optbench.stats import Estimate

ENTRY = "entry"
COMPACT_HIDDEN = frozenset(
    {
        "memory_problems",
        "candidates",
        "unconfirmed",
        "samples",
        "significant",
        "confirmed_significant",
        "reported",
        "speedup",
        "confirmed_speedup",
    }
)
COMPACT_TITLES = {
    ENTRY: "Technique / model",
    "tokens": "Tokens in/out",
    "best_candidate_id": "Best",
    "score": "Speedup",
    "optimized": "Opt",
    "equivalent": "Equiv.",
    "not_equivalent": "Not equiv.",
    "verdicts_total": "Total",
}
CONSTANT = ("problems", "runs", "run_id")
"""Columns that become the caption when every row has the same value."""
COUNT_SHARE = re.compile(r"^(\d+) \((\d+%)\)$")
"""A verdict table cell, ``3 (60%)``."""


def short_count(count: float) -> str:
    """A token count in at most 5 characters: ``680``, ``12.3k``, ``4.1M``."""
    if math.isnan(count):
        return "–"
    if count >= 1e6:
        return f"{count / 1e6:.3g}M"
    if count >= 1e4:
        return f"{count / 1e3:.3g}k"
    return f"{count:.0f}"


def significant(value: float) -> str:
    """A ratio to 3 significant digits (``2.75``, ``12.3``, ``1.00``), whole from 100,
    and to 2 in scientific form beyond 10,000 or below 0.01 (interval bounds of few runs)."""
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value != 0 and (abs(value) >= 1e4 or abs(value) < 0.01):
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:#.3g}".rstrip(".")


def _total(value: Any) -> float:
    return float(value.value if isinstance(value, Estimate) else value)


def _score(row: dict[str, Any]) -> Any:
    """A per-problem score with the interval of the measurement it comes from."""
    score = row["score"]
    source = {
        "confirmation": row.get("confirmed_speedup"),
        "selection": row.get("speedup"),
        "unconfirmed": row.get("speedup"),
    }.get(str(row.get("reported")))
    if isinstance(source, Estimate) and not math.isnan(source.low):
        return Estimate(score, source.low, source.high)
    return score


def _row(row: dict[str, Any]) -> dict[str, Any]:
    per_problem = "best_candidate_id" in row
    verdicts = "candidates" in row and "correct_pct" not in row and not per_problem
    shown: dict[str, Any] = {}
    for key, value in row.items():
        if key == "technique":
            model = row.get("model") or ""
            shown[ENTRY] = f"{value}\n{model}" if model else str(value)
        elif key == "model":
            continue
        elif verdicts and key == "candidates":
            shown["verdicts_total"] = value
        elif (key == "equivalent" and per_problem) or key in COMPACT_HIDDEN:
            continue
        elif key == "tokens_in" and "tokens_out" in row:
            tokens = (_total(row[k]) for k in ("tokens_in", "tokens_out"))
            shown["tokens"] = "/".join(short_count(t) for t in tokens)
        elif key == "tokens_out" and "tokens_in" in row:
            continue
        elif key == "score" and per_problem:
            shown[key] = _score(row)
        elif isinstance(value, str) and COUNT_SHARE.match(value):
            shown[key] = COUNT_SHARE.sub(r"\1\n\2", value)
        else:
            shown[key] = value
    if per_problem and "memory_ratio" in shown:
        shown["memory_ratio"] = shown.pop("memory_ratio")
    return shown


def _caption_part(key: str, value: Any) -> str | None:
    if key == "problems":
        return f"{value} problem{'s' if value != 1 else ''}"
    if key == "runs":
        return None if value == 1 else f"runs: {value}"
    if key == "run_id":
        return f"run {value}"
    return None


def compact_rows(rows: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], str | None]:
    """Display rows (see :func:`optbench.report._format._display`) in compact form, and
    the caption that takes over the columns with one value."""
    shown = [_row(r) for r in rows]
    caption = []
    for key in CONSTANT:
        values = {str(r.get(key)) for r in shown}
        if shown and len(values) == 1 and key in shown[0]:
            part = _caption_part(key, shown[0][key])
            if part:
                caption.append(part)
            for r in shown:
                r.pop(key)
    return shown, " · ".join(caption) or None


TEXT_FLOOR = 8
"""A name column is folded no narrower than this (or its longest header word)."""


def _fit(natural: list[int], least: list[int], room: int) -> list[int]:
    """Widths that fit ``room``: the column with the most room to give shrinks first."""
    widths = list(natural)
    excess = sum(widths) - room
    while excess > 0:
        slack = [w - m for w, m in zip(widths, least, strict=True)]
        widest = max(range(len(widths)), key=slack.__getitem__)
        if slack[widest] <= 0:
            break
        widths[widest] -= 1
        excess -= 1
    return widths


class CompactTable(Table):
    """A borderless table that, at render time, wraps headers, then narrows the gaps
    between columns, then folds names before it would cut a number: each number column
    keeps the width of its widest line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, **kwargs)
        self.text_columns: set[int] = set()

    def _limits(self) -> tuple[list[int], list[int], list[int]]:
        """Per column: its natural width, the width with its header wrapped, and the
        least width (a name folded)."""
        natural, wrapped, least = [], [], []
        for index, column in enumerate(self.columns):
            lines = [len(line) for cell in column._cells for line in str(cell).splitlines()]
            widest = max(lines, default=1)
            header = str(column.header)
            words = max((len(w) for w in header.split()), default=1)
            natural.append(max(widest, len(header)))
            wrapped.append(max(widest, words))
            body = min(widest, TEXT_FLOOR) if index in self.text_columns else widest
            least.append(max(body, words))
        return natural, wrapped, least

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        natural, wrapped, least = self._limits()
        gaps = max(len(self.columns) - 1, 0)
        for gap, floor in ((2, wrapped), (1, wrapped), (2, least), (1, least)):
            room = options.max_width - gap * gaps
            widths = _fit(_fit(natural, wrapped, room), floor, room)
            if sum(widths) <= room:
                break
        self.padding = (0, 1) if gap == 2 else (0, 0)
        self.collapse_padding = gap == 2
        for column, width in zip(self.columns, widths, strict=True):
            column.width = width
        yield from super().__rich_console__(console, options)
