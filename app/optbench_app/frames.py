"""Report rows reshaped into DataFrames for tables and charts (no values computed)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from optbench.report import MetricsRow
from optbench_app.labels import entry_label, model_label

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


def leaderboard(rows: Sequence[MetricsRow]) -> pd.DataFrame:
    """One row per entry; each metric as ``title``, ``title low``, ``title high``."""
    records = []
    for r in rows:
        record: dict[str, object] = {
            "Technique": r.technique,
            "Model": model_label(r.model),
            "Problems": r.problems,
            "Candidates": r.candidates,
        }
        for field, title in LEADERBOARD_METRICS.items():
            est = getattr(r, field)
            record[title] = est.value
            record[f"{title} low"] = est.low
            record[f"{title} high"] = est.high
        record["Mem. problems"] = r.memory_problems
        records.append(record)
    return pd.DataFrame(records)


def intervals(rows: Sequence[MetricsRow], field: str) -> pd.DataFrame:
    """``Entry``, ``value``, ``low``, ``high`` of one metric, NaN values left out."""
    frame = pd.DataFrame(
        [
            {
                "Entry": entry_label(r.technique, r.model),
                "value": getattr(r, field).value,
                "low": getattr(r, field).low,
                "high": getattr(r, field).high,
            }
            for r in rows
        ]
    )
    return frame.dropna(subset=["value"])
