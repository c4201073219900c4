"""What each run is and how far it got: the dashboard's run list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, func, select

from optbench.core import VerdictStatus
from optbench.store import RunInfo, Store
from optbench.store._models import CandidateRow, MeasurementRow, VerdictRow


@dataclass(frozen=True)
class RunProgress:
    """Counts of a run's candidates at each stage."""

    problems: int
    """Problems with at least one candidate."""
    candidates: int
    verified: int
    equivalent: int
    measured: int
    """Equivalent candidates with a measurement (failed measurements included)."""

    @property
    def done(self) -> bool:
        return self.verified == self.candidates and self.measured == self.equivalent


@dataclass(frozen=True)
class RunSummary:
    id: int
    name: str | None
    status: str
    dataset: str
    dataset_version: str
    techniques: tuple[str, ...]
    models: tuple[str, ...]
    profile: str
    machine: str
    problems_planned: int | None
    """Problems the run's config names (None when it does not say)."""
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    duration_s: float | None
    """Start to end; for a run still going, start to ``now``."""
    progress: RunProgress


def _labels(config: dict[str, Any], key: str) -> tuple[str, ...]:
    listed = config.get(key)
    if isinstance(listed, list) and listed:
        return tuple(str(t["label"]) if isinstance(t, dict) else str(t) for t in listed)
    run = config.get("run")
    if isinstance(run, dict) and isinstance(run.get(key), list):
        return tuple(str(t) for t in run[key])
    return ()


def _machine(environment: dict[str, Any]) -> str:
    machine = environment.get("machine")
    if not isinstance(machine, dict):
        return ""
    parts = [machine.get("hostname"), machine.get("cpu_model"), machine.get("machine_id")]
    return " · ".join(str(p) for p in parts if p)


def _profile(config: dict[str, Any]) -> str:
    run = config.get("run")
    value = run.get("profile") if isinstance(run, dict) else config.get("profile")
    return str(value) if value else ""


def _planned(config: dict[str, Any]) -> int | None:
    problems = config.get("problems")
    return len(problems) if isinstance(problems, list) and problems else None


def _duration(run: RunInfo, now: datetime) -> float | None:
    if run.started_at is None:
        return None
    end = run.ended_at or (now if run.status == "running" else None)
    return None if end is None else (end - run.started_at).total_seconds()


def _progress(store: Store, run_ids: Sequence[int]) -> dict[int, RunProgress]:
    equivalent = func.sum(func.cast(VerdictRow.status == VerdictStatus.EQUIVALENT.value, Integer))
    measured = func.sum(
        func.cast(
            (VerdictRow.status == VerdictStatus.EQUIVALENT.value) & MeasurementRow.id.is_not(None),
            Integer,
        )
    )
    query = (
        select(
            CandidateRow.run_id,
            func.count(func.distinct(CandidateRow.problem_row_id)),
            func.count(CandidateRow.id),
            func.count(VerdictRow.id),
            equivalent,
            measured,
        )
        .outerjoin(VerdictRow, VerdictRow.candidate_id == CandidateRow.id)
        .outerjoin(MeasurementRow, MeasurementRow.candidate_id == CandidateRow.id)
        .where(CandidateRow.run_id.in_(list(run_ids)))
        .group_by(CandidateRow.run_id)
    )
    counts: dict[int, RunProgress] = defaultdict(lambda: RunProgress(0, 0, 0, 0, 0))
    with store.read_session() as session:
        for run_id, problems, candidates, verified, eq, meas in session.execute(query):
            counts[run_id] = RunProgress(
                int(problems), int(candidates), int(verified), int(eq or 0), int(meas or 0)
            )
    return counts


def _entries(store: Store, run_ids: Sequence[int]) -> dict[int, tuple[set[str], set[str]]]:
    query = (
        select(CandidateRow.run_id, CandidateRow.technique, CandidateRow.model)
        .where(CandidateRow.run_id.in_(list(run_ids)))
        .distinct()
    )
    found: dict[int, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    with store.read_session() as session:
        for run_id, technique, model in session.execute(query):
            found[run_id][0].add(technique)
            if model:
                found[run_id][1].add(model)
    return found


def run_overview(
    store: Store, run_ids: Sequence[int] | None = None, *, now: datetime | None = None
) -> list[RunSummary]:
    """One summary per run of ``run_ids`` (all runs when None), newest first.

    Techniques and models are the run's configured ones, else those its candidates show.
    """
    runs = [r for r in store.list_runs() if run_ids is None or r.id in run_ids]
    ids = [r.id for r in runs]
    progress = _progress(store, ids)
    entries = _entries(store, ids)
    moment = now or datetime.now(UTC)
    summaries = []
    for run in sorted(runs, key=lambda r: r.id, reverse=True):
        seen_techniques, seen_models = entries[run.id]
        summaries.append(
            RunSummary(
                id=run.id,
                name=run.name,
                status=run.status,
                dataset=run.dataset,
                dataset_version=run.dataset_version,
                techniques=_labels(run.config, "techniques") or tuple(sorted(seen_techniques)),
                models=_labels(run.config, "models") or tuple(sorted(seen_models)),
                profile=_profile(run.config),
                machine=_machine(run.environment),
                problems_planned=_planned(run.config),
                created_at=run.created_at,
                started_at=run.started_at,
                ended_at=run.ended_at,
                duration_s=_duration(run, moment),
                progress=progress[run.id],
            )
        )
    return summaries
