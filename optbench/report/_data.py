"""One query that pulls, per candidate of the chosen runs, everything the metrics need."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from optbench.core import VerdictStatus
from optbench.store import Store
from optbench.store._models import (
    CandidateRow,
    ConfirmationRow,
    MeasurementRow,
    ModelCallRow,
    ProblemRow,
    VerdictRow,
)

OUTCOMES = ("no_code", "model_error", "no_candidate")
"""Outcomes the runner stores as a candidate without code and an ``error`` verdict:
a reply without code, a failed model call, a technique that proposed nothing."""


@dataclass(frozen=True)
class CandidateRecord:
    """A candidate with its verdict, measurement, confirmation and generation cost."""

    run_id: int
    candidate_id: int
    problem_row: int
    dataset: str
    problem_id: str
    technique: str
    model: str
    verdict: str | None
    speedup: float | None
    """None when unmeasured or when the measurement failed."""
    speedup_ci_low: float | None = None
    speedup_ci_high: float | None = None
    significant: bool = False
    memory_ratio: float | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    gen_time_s: float = 0.0
    sample: int = 0
    round: int = 0
    kind: str = ""
    tags: tuple[str, ...] = ()
    confirmed_speedup: float | None = None
    """The fresh confirmation measurement of a selected candidate (see
    :func:`optbench.report.to_confirm`); None when there is none or it failed."""
    confirmed_ci_low: float | None = None
    confirmed_ci_high: float | None = None
    confirmed_significant: bool | None = None
    outcome: str | None = None
    """``no_code``, ``model_error`` or ``no_candidate`` for a row the runner stored in
    place of a candidate (no code, an ``error`` verdict); None for real code."""

    @property
    def equivalent(self) -> bool:
        return self.verdict == VerdictStatus.EQUIVALENT.value

    @property
    def category(self) -> str:
        """The verdict, with the runner's placeholder rows told apart from code that
        failed, and ``unverified`` for a candidate not verified yet."""
        if self.outcome is not None and self.verdict == VerdictStatus.ERROR.value:
            return self.outcome
        return self.verdict or "unverified"


@dataclass(frozen=True)
class ProblemFilter:
    """Which problems a report covers; an empty field does not filter.

    A problem passes when its dataset is one of ``datasets``, its kind one of ``kinds``
    and it carries at least one of ``tags``.
    """

    datasets: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def accepts(self, dataset: str, kind: str, tags: Sequence[str]) -> bool:
        return (
            (not self.datasets or dataset in self.datasets)
            and (not self.kinds or kind in self.kinds)
            and (not self.tags or any(t in self.tags for t in tags))
        )


ALL_PROBLEMS = ProblemFilter()


def load_records(
    store: Store,
    run_ids: Sequence[int] | None = None,
    *,
    problems: ProblemFilter = ALL_PROBLEMS,
) -> list[CandidateRecord]:
    """Every candidate of ``run_ids`` (all runs when None) on the ``problems`` that pass
    the filter, oldest first.

    Raises KeyError naming the first run id the store does not hold.
    """
    if run_ids is not None:
        known = {run.id for run in store.list_runs()}
        missing = [r for r in run_ids if r not in known]
        if missing:
            raise KeyError(f"no run {missing[0]} in {store.url}")
    calls = (
        select(
            ModelCallRow.candidate_id.label("candidate_id"),
            func.sum(ModelCallRow.input_tokens).label("tokens_in"),
            func.sum(ModelCallRow.output_tokens).label("tokens_out"),
            func.sum(ModelCallRow.latency_s).label("gen_time_s"),
        )
        .where(ModelCallRow.candidate_id.is_not(None))
        .group_by(ModelCallRow.candidate_id)
        .subquery()
    )
    query = (
        select(
            CandidateRow.run_id,
            CandidateRow.id,
            CandidateRow.problem_row_id,
            ProblemRow.dataset,
            ProblemRow.problem_id,
            CandidateRow.technique,
            CandidateRow.model,
            CandidateRow.sample,
            CandidateRow.round,
            ProblemRow.kind,
            ProblemRow.tags,
            VerdictRow.status,
            MeasurementRow.speedup,
            MeasurementRow.speedup_ci_low,
            MeasurementRow.speedup_ci_high,
            MeasurementRow.significant,
            MeasurementRow.memory_ratio,
            MeasurementRow.error,
            ConfirmationRow.speedup.label("confirmed_speedup"),
            ConfirmationRow.speedup_ci_low.label("confirmed_ci_low"),
            ConfirmationRow.speedup_ci_high.label("confirmed_ci_high"),
            ConfirmationRow.significant.label("confirmed_significant"),
            ConfirmationRow.error.label("confirmation_error"),
            (CandidateRow.code == "").label("no_code"),
            CandidateRow.extra["outcome"].as_string().label("outcome"),
            calls.c.tokens_in,
            calls.c.tokens_out,
            calls.c.gen_time_s,
        )
        .join(ProblemRow, CandidateRow.problem_row_id == ProblemRow.id)
        .outerjoin(VerdictRow, VerdictRow.candidate_id == CandidateRow.id)
        .outerjoin(MeasurementRow, MeasurementRow.candidate_id == CandidateRow.id)
        .outerjoin(ConfirmationRow, ConfirmationRow.candidate_id == CandidateRow.id)
        .outerjoin(calls, calls.c.candidate_id == CandidateRow.id)
        .order_by(CandidateRow.id)
    )
    if run_ids is not None:
        query = query.where(CandidateRow.run_id.in_(list(run_ids)))
    records = []
    with store.read_session() as session:
        for row in session.execute(query):
            tags = tuple(str(t) for t in row.tags or ())
            if not problems.accepts(row.dataset, row.kind, tags):
                continue
            measured = row.speedup is not None and row.error is None
            confirmed = row.confirmed_speedup is not None and row.confirmation_error is None
            outcome = row.outcome if row.no_code and row.outcome in OUTCOMES else None
            records.append(
                CandidateRecord(
                    run_id=row.run_id,
                    candidate_id=row.id,
                    problem_row=row.problem_row_id,
                    dataset=row.dataset,
                    problem_id=row.problem_id,
                    technique=row.technique,
                    model=row.model,
                    verdict=row.status,
                    speedup=row.speedup if measured else None,
                    speedup_ci_low=row.speedup_ci_low if measured else None,
                    speedup_ci_high=row.speedup_ci_high if measured else None,
                    significant=bool(row.significant) if measured else False,
                    memory_ratio=row.memory_ratio if measured else None,
                    tokens_in=int(row.tokens_in or 0),
                    tokens_out=int(row.tokens_out or 0),
                    gen_time_s=float(row.gen_time_s or 0.0),
                    sample=row.sample,
                    round=row.round,
                    kind=row.kind,
                    tags=tags,
                    confirmed_speedup=row.confirmed_speedup if confirmed else None,
                    confirmed_ci_low=row.confirmed_ci_low if confirmed else None,
                    confirmed_ci_high=row.confirmed_ci_high if confirmed else None,
                    confirmed_significant=bool(row.confirmed_significant) if confirmed else None,
                    outcome=outcome,
                )
            )
    return records
