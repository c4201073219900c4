"""How entries, runs and durations are written on screen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from optbench.report import ProblemInfo, RunSummary

NO_MODEL = "no model"
LIVE_MARK = "◐ "
"""Marks what belongs to a run still in progress (its figures will change)."""


def entry_label(technique: str, model: str) -> str:
    """``technique · model``; techniques that use no model are shown by name alone."""
    return f"{technique} · {model}" if model else technique


def model_label(model: str) -> str:
    return model or NO_MODEL


def run_label(run: RunSummary) -> str:
    name = run.name or run.dataset
    return f"#{run.id} {name} ({run.status})"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m {secs:02d}s"


def moment(value: datetime | None) -> str:
    return "–" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M")


def problem_param(problem: ProblemInfo, catalog: Sequence[ProblemInfo]) -> str:
    """A problem by its dataset id, ``dataset/problem_id``, with ``@`` and the start of
    its content hash when the catalog holds several versions of it."""
    name = f"{problem.dataset}/{problem.problem_id}"
    versions = sum(
        1 for p in catalog if (p.dataset, p.problem_id) == (problem.dataset, problem.problem_id)
    )
    return f"{name}@{problem.content_hash[:8]}" if versions > 1 else name
