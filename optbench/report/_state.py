"""What has changed in a store: a cheap fingerprint for caches, and the entries whose
figures are still moving because a run of theirs is going."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from optbench.report._metrics import Entry
from optbench.store import Store
from optbench.store._models import (
    CandidateRow,
    ConfirmationRow,
    MeasurementRow,
    ModelCallRow,
    RunRow,
    VerdictRow,
)

RUNNING = "running"
TABLES = (CandidateRow, VerdictRow, MeasurementRow, ConfirmationRow, ModelCallRow)
"""Tables whose rows a run adds; rows are added, or replaced under a new id."""


def database_state(store: Store) -> tuple[object, ...]:
    """A value that changes whenever a result is stored: per results table its row count
    and highest id, and every run's status and end time.

    A cache keyed on it is never stale, and costs one small query per look.
    """
    parts: list[object] = []
    with store.read_session() as session:
        for table in TABLES:
            count, highest = session.execute(select(func.count(table.id), func.max(table.id))).one()
            parts += [int(count), int(highest or 0)]
        runs = session.execute(
            select(RunRow.id, RunRow.status, RunRow.ended_at).order_by(RunRow.id)
        )
        parts += [(r.id, r.status, str(r.ended_at)) for r in runs]
    return tuple(parts)


def running_entries(store: Store, run_ids: Sequence[int] | None = None) -> set[Entry]:
    """The (technique, model) entries with candidates in a run of ``run_ids`` (all runs
    when None) that is still running: their figures will change."""
    query = (
        select(CandidateRow.technique, CandidateRow.model)
        .join(RunRow, RunRow.id == CandidateRow.run_id)
        .where(RunRow.status == RUNNING)
        .distinct()
    )
    if run_ids is not None:
        query = query.where(CandidateRow.run_id.in_(list(run_ids)))
    with store.read_session() as session:
        return {(t, m) for t, m in session.execute(query)}
