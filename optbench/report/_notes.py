"""What a text report says under its tables: the caveats its figures carry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from optbench.report._metrics import MetricsRow, ProblemResult


def at_k_titles(k: int | None) -> dict[str, str]:
    """Column titles for @k figures (%Correct becomes pass@k, and so on)."""
    if k is None:
        return {}
    return {
        "correct_pct": f"pass@{k}",
        "opt_pct": f"%Opt@{k}",
        "speedup_mean": f"Speedup@{k}",
        "speedup_geomean": f"Speedup@{k} (geo)",
        "score": f"Speedup@{k}",
        "p_correct": f"pass@{k}",
        "p_optimized": f"Opt@{k}",
    }


def _entries(rows: Sequence[Any]) -> str:
    names = sorted({f"{r.technique} · {r.model}" if r.model else r.technique for r in rows})
    return ", ".join(names)


def report_notes(rows: Sequence[MetricsRow] | Sequence[ProblemResult]) -> list[str]:
    """One sentence per caveat that applies to ``rows`` (metrics or per-problem rows)."""
    notes = []
    summary = [r for r in rows if isinstance(r, MetricsRow)]
    problems = [r for r in rows if isinstance(r, ProblemResult)]
    unconfirmed = sum(r.unconfirmed for r in summary) + sum(not p.confirmed for p in problems)
    if unconfirmed:
        flagged = [r for r in summary if r.unconfirmed] + [p for p in problems if not p.confirmed]
        notes.append(
            f"{unconfirmed} problem result(s) of {_entries(flagged)} are unconfirmed: their "
            "best candidate has no confirmation measurement (an older run, a run still going, "
            "or a failed confirmation), so the measurement it was selected by stands in; "
            "such figures are biased upwards."
        )
    averaged = [r for r in summary if r.pooling == "mean"]
    if averaged:
        notes.append(
            f"Repeated runs of {_entries(averaged)}: each figure is computed per run, then "
            "averaged over the runs, with a 95% t interval over the runs (one run: a "
            "bootstrap interval over problems)."
        )
    pooled = [r for r in summary if r.pooling == "best"] + [p for p in problems if p.runs > 1]
    if pooled:
        notes.append(
            f"Runs of {_entries(pooled)} are pooled best-of: the best candidate of all runs "
            "counts, which grows with the number of runs even when nothing changed."
        )
    k = next((r.k for r in summary if r.k is not None), None)
    k = next((p.k for p in problems if p.k is not None), k)
    if k is not None:
        notes.append(
            f"@{k} figures are unbiased estimates of the best of {k} samples drawn at random "
            "from each problem's samples (Chen et al. 2021), each sample scored by its own "
            "measurement (confirmations exist only for the overall best)."
        )
        capped = sum(r.k_capped for r in summary) + sum(p.k_capped for p in problems)
        if capped:
            notes.append(
                f"k={k} exceeds the samples of {capped} problem result(s): their @{k} "
                "figures use all the samples they have."
            )
    return notes
