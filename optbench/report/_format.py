"""Rendering report rows as a rich table, Markdown, CSV or JSON.

Rows are the dataclasses of this package (or plain dicts). Intervals are shown as
``value [low, high]`` in tables and split into ``x``, ``x_low``, ``x_high`` columns in
CSV and JSON, so machine-readable output never needs parsing back; a verdict breakdown
becomes ``verdict_<category>`` and ``verdict_<category>_pct`` columns there, and its own
table (:func:`optbench.report.verdict_table`) in text formats.

Text formats (table, Markdown) keep to what a reader compares: a per-problem speedup is
shown with its interval in one cell, a dataset column only when rows come from several
datasets, per-problem cost is left out (the summary has it), bookkeeping fields (row ids,
how an interval was computed, @k settings) are left to CSV and JSON, and the notes
printed with the table (:func:`optbench.report.report_notes`) say what they would have
said.

A terminal table is compact unless ``wide`` is asked for, so that it fits 100 columns
(80 with short technique and model names) without a cell being cut (see
:mod:`optbench.report._compact`): intervals go on a second line under their value,
ratios to 3 significant digits and percent bounds without decimals. Numbers never wrap;
long names fold onto more lines.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from optbench.report._compact import (
    COMPACT_TITLES,
    ENTRY,
    CompactTable,
    compact_rows,
    significant,
)
from optbench.report._verdicts import VERDICT_TITLES, VerdictCounts
from optbench.stats import Estimate

FORMATS = ("table", "markdown", "csv", "json")

TITLES = {
    "technique": "Technique",
    "model": "Model",
    "problems": "Problems",
    "runs": "Runs",
    "unconfirmed": "Unconfirmed",
    "correct_pct": "%Correct",
    "opt_pct": "%Opt",
    "speedup_mean": "Speedup",
    "speedup_geomean": "Speedup (geo)",
    "memory_ratio": "Memory ratio",
    "memory_problems": "Mem. n",
    "candidates": "Candidates",
    "tokens_in": "Tokens in",
    "tokens_out": "Tokens out",
    "gen_time_s": "Gen. time (s)",
    "problem_id": "Problem",
    "run_id": "Run",
    "equivalent": "Equivalent",
    "samples": "Samples",
    "best_candidate_id": "Best candidate",
    "verdict": "Verdict",
    "speedup": "Selection",
    "significant": "Sig.",
    "confirmed_speedup": "Confirmation",
    "confirmed_significant": "Sig.",
    "score": "Score",
    "optimized": "Opt",
    "reported": "Reported",
    "p_correct": "pass@k",
    "p_optimized": "Opt@k",
    "correct": "Correct",
    "dataset": "Dataset",
    "wilcoxon_p": "Wilcoxon p",
    "sign_p": "Sign p",
    **{c: t for c, t in VERDICT_TITLES.items() if c != "equivalent"},
}

DECIMALS = {"correct_pct": 1, "opt_pct": 1, "tokens_in": 0, "tokens_out": 0, "gen_time_s": 1}
DEFAULT_DECIMALS = 2
TEXT_KEYS = frozenset({"technique", "model", "dataset", "problem_id", "verdict", "reported"})
TOTALS = frozenset({"tokens_in", "tokens_out", "gen_time_s"})
"""Cost totals: shown without their interval in tables (CSV and JSON keep it)."""
P_VALUE_DECIMALS = 4
RATIOS = frozenset(
    {"speedup", "confirmed_speedup", "speedup_mean", "speedup_geomean", "memory_ratio", "score"}
)
"""Shown to 3 significant digits in a compact table."""
INTERVALS = {
    "speedup": ("speedup_ci_low", "speedup_ci_high"),
    "confirmed_speedup": ("confirmed_ci_low", "confirmed_ci_high"),
}
"""Per-problem figures whose bounds are separate fields: one cell in text formats."""
HIDDEN = frozenset({"problem_row", "pooling", "interval", "k", "k_capped", "verdicts"})
"""Bookkeeping left to CSV and JSON (and to the notes printed with a text report)."""
PROBLEM_COST = ("tokens_in", "tokens_out", "gen_time_s")
POOLING_LABELS = {"mean": "mean", "best": "best-of"}


def _as_dict(row: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(row) and not isinstance(row, type):
        return {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
    if isinstance(row, dict):
        return dict(row)
    raise TypeError(f"cannot format a {type(row).__name__} row")


def _number(value: float, decimals: int) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:,.{decimals}f}" if decimals == 0 else f"{value:.{decimals}f}"


def _cell(key: str, value: Any, *, stacked: bool = False, compact: bool = False) -> str:
    """One cell; ``stacked`` puts an interval on a second line as ``low–high``;
    ``compact`` writes ratios to 3 significant digits and percent bounds without decimals."""
    decimals = DECIMALS.get(key, P_VALUE_DECIMALS if key.endswith("_p") else DEFAULT_DECIMALS)

    def number(v: float, places: int = decimals) -> str:
        return significant(v) if compact and key in RATIOS else _number(v, places)

    if value is None:
        return "–"
    if isinstance(value, Estimate):
        if math.isnan(value.low) or key in TOTALS:
            return number(value.value)
        bound = 0 if compact and key.endswith("_pct") else decimals
        low, high = number(value.low, bound), number(value.high, bound)
        if stacked:
            return f"{number(value.value)}\n{low}–{high}"
        return f"{number(value.value)} [{low}, {high}]"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return number(value)
    return str(value)


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def _display(row: dict[str, Any]) -> dict[str, Any]:
    """The cells of ``row`` a text format shows (see the module docstring)."""
    intervals = {
        key: bounds
        for key, bounds in INTERVALS.items()
        if key in row and all(b in row for b in bounds)
    }
    bounds = {b for pair in intervals.values() for b in pair}
    shown: dict[str, Any] = {}
    for key, value in row.items():
        if key in intervals:
            low, high = (_nan(row[b]) for b in intervals[key])
            shown[key] = None if value is None else Estimate(value, low, high)
        elif key not in bounds:
            shown[key] = value
    if "pooling" in shown and isinstance(shown.get("runs"), int) and shown["runs"] > 1:
        shown["runs"] = f"{shown['runs']} ({POOLING_LABELS.get(shown['pooling'], '')})"
    if "unconfirmed" in shown:
        shown.pop("reported", None)
    if "reported" in shown and not shown.pop("confirmed", True):
        shown["reported"] = "unconfirmed"
    if "best_candidate_id" in shown:
        for key in PROBLEM_COST:
            shown.pop(key, None)
        runs = shown.pop("runs", 1)
        if shown.get("run_id", 0) is None:
            shown["run_id"] = f"{runs} pooled" if runs > 1 else "–"
        if shown.get("k") is None:
            shown.pop("p_correct", None)
            shown.pop("p_optimized", None)
    return {k: v for k, v in shown.items() if k not in HIDDEN}


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, VerdictCounts):
            flat.update(value.columns())
        elif value is None and key == "verdicts":
            continue
        elif isinstance(value, Estimate):
            flat[key] = _json_number(value.value)
            flat[f"{key}_low"] = _json_number(value.low)
            flat[f"{key}_high"] = _json_number(value.high)
        else:
            flat[key] = _json_number(value) if isinstance(value, float) else value
    return flat


def _json_number(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else value


def format_report(
    rows: Sequence[Any],
    fmt: str = "table",
    *,
    title: str | None = None,
    titles: dict[str, str] | None = None,
    wide: bool = False,
) -> Any:
    """Format ``rows``: a :class:`rich.table.Table` for ``table``, a string otherwise.

    ``titles`` overrides column titles of text formats (e.g. ``pass@5`` for
    ``correct_pct``); ``wide`` gives a table every column (see the module docstring).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    dicts = [_as_dict(r) for r in rows]
    if fmt in ("table", "markdown"):
        dicts = [_display(d) for d in dicts]
        if len({d.get("dataset") for d in dicts}) == 1:
            dicts = [{k: v for k, v in d.items() if k != "dataset"} for d in dicts]
    compact = fmt == "table" and not wide
    caption = None
    if compact:
        dicts, caption = compact_rows(dicts)
    keys = list(dicts[0]) if dicts else []
    if fmt == "json":
        return json.dumps([_flat(d) for d in dicts], indent=2)
    if fmt == "csv":
        flat = [_flat(d) for d in dicts]
        buffer = io.StringIO()
        fields = list(dict.fromkeys(key for row in flat for key in row))
        writer = csv.DictWriter(buffer, fieldnames=fields)
        writer.writeheader()
        writer.writerows(flat)
        return buffer.getvalue()
    names = {**TITLES, **(COMPACT_TITLES if compact else {}), **(titles or {})}
    headers = [names.get(k, k.replace("_", " ")) for k in keys]
    if fmt == "markdown":
        cells = [[_cell(k, d[k]) for k in keys] for d in dicts]
        lines = [f"**{title}**", ""] if title else []
        lines.append("| " + " | ".join(headers) + " |")
        lines.append("|" + "|".join("---" for _ in headers) + "|")
        lines.extend("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in cells)
        return "\n".join(lines) + "\n"
    table = CompactTable(title=title, caption=caption) if compact else Table(title=title)
    rows_cells = [[_cell(k, d[k], stacked=True, compact=compact) for k in keys] for d in dicts]
    for i, (key, header) in enumerate(zip(keys, headers, strict=True)):
        if key in TEXT_KEYS or key == ENTRY:
            widest = max((len(r[i]) for r in rows_cells), default=1)
            if isinstance(table, CompactTable):
                table.text_columns.add(i)
                table.add_column(header, overflow="fold")
            else:
                table.add_column(header, min_width=min(widest, 30))
        else:
            table.add_column(header, justify="right", overflow="fold" if compact else "ellipsis")
    for r in rows_cells:
        table.add_row(*r)
    return table


def render(
    rows: Sequence[Any],
    fmt: str = "table",
    *,
    title: str | None = None,
    titles: dict[str, str] | None = None,
    width: int = 200,
    wide: bool = False,
) -> str:
    """Like :func:`format_report`, but always text (a table is rendered without colour)."""
    result = format_report(rows, fmt, title=title, titles=titles, wide=wide)
    if isinstance(result, str):
        return result
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(result)
    return console.export_text()
