"""Report rows reshaped into DataFrames for tables and charts (no values computed)."""

from __future__ import annotations

from collections.abc import Sequence, Set

import pandas as pd

from optbench.report import (
    CATEGORIES,
    VERDICT_TITLES,
    Entry,
    MetricsRow,
    ProblemResult,
    at_k_titles,
    problem_means,
)
from optbench_app.labels import LIVE_MARK, entry_label, model_label

IN_PROGRESS = f"{LIVE_MARK}in progress"
FINAL = "final"

LEADERBOARD_METRICS = {
    "correct_pct": "%Correct",
    "opt_pct": "%Opt",
    "speedup_mean": "Speedup",
    "speedup_geomean": "Speedup (geo)",
    "memory_ratio": "Memory ratio",
    "tokens_in": "Tokens in",
    "tokens_out": "Tokens out",
    "gen_time_s": "Gen. time (s)",
}
"""MetricsRow field → column title (the CLI's titles)."""


def metric_titles(k: int | None = None) -> dict[str, str]:
    """:data:`LEADERBOARD_METRICS`, with the @k names (pass@k, ...) when ``k`` is set."""
    renamed = at_k_titles(k)
    return {field: renamed.get(field, title) for field, title in LEADERBOARD_METRICS.items()}


def aggregate_label(row: MetricsRow) -> str:
    """How an entry's runs were combined, as the table shows it."""
    if row.runs == 1:
        return "1 run"
    if row.pooling == "mean":
        return f"mean of {row.runs} runs"
    return f"best of {row.runs} runs (pooled)"


def leaderboard(
    rows: Sequence[MetricsRow], k: int | None = None, live: Set[Entry] = frozenset()
) -> pd.DataFrame:
    """One row per entry; each metric as ``title``, ``title low``, ``title high``; an
    entry with candidates in a run still going is marked ``in progress``."""
    records = []
    for r in rows:
        record: dict[str, object] = {
            "Technique": r.technique,
            "Model": model_label(r.model),
            "Status": IN_PROGRESS if (r.technique, r.model) in live else FINAL,
            "Problems": r.problems,
            "Runs": aggregate_label(r),
            "Candidates": r.candidates,
            "Unconfirmed": r.unconfirmed,
        }
        for field, title in metric_titles(k).items():
            est = getattr(r, field)
            record[title] = est.value
            record[f"{title} low"] = est.low
            record[f"{title} high"] = est.high
        record["Mem. problems"] = r.memory_problems
        records.append(record)
    return pd.DataFrame(records)


def verdicts(rows: Sequence[MetricsRow]) -> pd.DataFrame:
    """Per entry: candidates, and each verdict category's count and share (``title %``);
    categories no entry has are left out."""
    found = [r for r in rows if r.verdicts is not None]
    used = [c for c in CATEGORIES if any(getattr(r.verdicts, c) for r in found)]
    records = []
    for r in found:
        assert r.verdicts is not None
        counts, shares = r.verdicts.counts(), r.verdicts.shares()
        record: dict[str, object] = {
            "Technique": r.technique,
            "Model": model_label(r.model),
            "Candidates": r.verdicts.total,
        }
        for c in used:
            record[VERDICT_TITLES[c]] = counts[c]
            record[f"{VERDICT_TITLES[c]} %"] = shares[c]
        records.append(record)
    return pd.DataFrame(records)


def verdict_shares(rows: Sequence[MetricsRow]) -> pd.DataFrame:
    """Long form for a stacked bar chart: ``Entry``, ``Verdict``, ``share``, ``count``."""
    return pd.DataFrame(
        [
            {
                "Entry": entry_label(r.technique, r.model),
                "Verdict": VERDICT_TITLES[c],
                "share": share,
                "count": r.verdicts.counts()[c],
            }
            for r in rows
            if r.verdicts is not None
            for c, share in r.verdicts.shares().items()
            if share > 0
        ]
    )


def intervals(
    rows: Sequence[MetricsRow], field: str, live: Set[Entry] = frozenset()
) -> pd.DataFrame:
    """``Entry``, ``value``, ``low``, ``high`` of one metric, NaN values left out; an
    entry of a run in progress is marked."""
    frame = pd.DataFrame(
        [
            {
                "Entry": (LIVE_MARK if (r.technique, r.model) in live else "")
                + entry_label(r.technique, r.model),
                "value": getattr(r, field).value,
                "low": getattr(r, field).low,
                "high": getattr(r, field).high,
            }
            for r in rows
        ]
    )
    return frame.dropna(subset=["value"])


NO_CANDIDATE = "no candidate"
UNVERIFIED = "unverified"
OPTIMIZED = "optimized"


def _outcome(result: ProblemResult) -> str:
    """What became of one (entry, problem) in one run, in one word."""
    if result.candidates == 0:
        return NO_CANDIDATE
    if result.optimized:
        return OPTIMIZED
    return result.verdict or UNVERIFIED


def technique_problem(
    results: Sequence[ProblemResult], live: Set[Entry] = frozenset()
) -> pd.DataFrame:
    """One row per (entry, problem): ``Speedup`` (the problem's score, the mean over
    runs when the entry has several), ``Verdict`` (optimized, or the best candidate's
    verdict; one per run, joined, when runs differ), the problem's dataset id and tags."""
    outcomes: dict[tuple[Entry, int], list[str]] = {}
    for r in results:
        outcomes.setdefault((r.entry, r.problem_row), []).append(_outcome(r))
    records = []
    for m in problem_means(results):
        seen = list(dict.fromkeys(outcomes[(m.entry, m.problem_row)]))
        records.append(
            {
                "Entry": entry_label(m.technique, m.model),
                "Technique": m.technique,
                "Model": model_label(m.model),
                "Problem": f"{m.dataset}/{m.problem_id}",
                "problem_row": m.problem_row,
                "Speedup": m.score,
                "Verdict": " / ".join(seen),
                "Runs": m.runs,
                "Status": IN_PROGRESS if m.entry in live else FINAL,
            }
        )
    return pd.DataFrame(records)
