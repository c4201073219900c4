"""The store: every write is one short transaction; idempotent writes survive races."""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from optbench.core import Candidate, Measurement, Problem, Verdict
from optbench.store._engine import READONLY_OPTION
from optbench.store._models import (
    RUN_STATUSES,
    BaselineRow,
    CandidateRow,
    ConfirmationRow,
    MeasurementRow,
    ModelCallRow,
    ProblemRow,
    RunRow,
    VerdictRow,
    utcnow,
)
from optbench.store._records import (
    Baseline,
    CandidateInfo,
    ModelCallInfo,
    RunInfo,
    call_info,
    candidate_info,
    run_info,
)
from optbench.store._retry import insert_retrying_before_commit, retry_on_disconnect

T = TypeVar("T")

RECORD_FORMAT = 1
"""Version of the JSON records the store writes (verdicts, measurements, confirmations,
run configs), in each record's ``"format"`` key: a later optbench that changes a record's
shape can tell old records from new ones."""


def versioned(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "format": RECORD_FORMAT}


def _speedup_fields(m: Measurement, machine_id: str) -> dict[str, Any]:
    """The columns a measurement and a confirmation share."""
    return {
        "speedup": m.time.ratio,
        "speedup_ci_low": m.time.ci_low,
        "speedup_ci_high": m.time.ci_high,
        "significant": m.time.significant,
        "profile": m.profile,
        "machine_id": machine_id,
        "error": m.error,
        "details": versioned(m.to_dict()),
    }


FINAL_STATUSES = frozenset({"interrupted", "failed", "finished"})


class Store:
    """Typed access to runs, problems, candidates, model calls, verdicts, measurements
    and baselines. Build it with :func:`open_store`.

    A store may be used from several threads. A forked child drops (without closing) the
    pooled connections it inherited and opens its own, as SQLAlchemy requires.
    """

    def __init__(self, engine: Engine, url: str) -> None:
        self.url = url
        self._engine = engine
        self._read_engine = engine.execution_options(**{READONLY_OPTION: True})
        engine_ref = weakref.ref(engine)

        def _forget_parent_connections() -> None:
            forked = engine_ref()
            if forked is not None:
                forked.dispose(close=False)

        os.register_at_fork(after_in_child=_forget_parent_connections)

    # -- sessions -----------------------------------------------------------------

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """One write transaction (``BEGIN IMMEDIATE`` on SQLite); commits on success."""
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """One read-only transaction, which does not queue behind SQLite writers."""
        with Session(self._read_engine, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _insert(self, add: Callable[[Session], T]) -> T:
        """Rows that are not idempotent to write (a new run, a model call): ``add`` in one
        write transaction, tried again when the connection is lost before the commit."""
        return insert_retrying_before_commit(
            lambda: Session(self._engine, expire_on_commit=False), add
        )

    def _insert_once(
        self, find: Callable[[Session], T | None], create: Callable[[Session], T]
    ) -> T:
        """Return what ``find`` finds, else what ``create`` makes, in one transaction.

        When another process inserts the same unique key between our look-up and our
        insert (possible on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises
        writers), the insert fails and the second attempt finds the winner's row.
        """
        for attempt in range(2):
            try:
                with self.write_session() as session:
                    found = find(session)
                    if found is not None:
                        return found
                    return create(session)
            except IntegrityError:
                if attempt:
                    raise
        raise AssertionError("unreachable")

    # -- runs ---------------------------------------------------------------------

    def create_run(
        self,
        *,
        name: str | None,
        dataset: str,
        dataset_version: str,
        dataset_hash: str,
        config: dict[str, Any],
        environment: dict[str, Any],
    ) -> int:

        def add(session: Session) -> int:
            row = RunRow(
                name=name,
                status="planned",
                dataset=dataset,
                dataset_version=dataset_version,
                dataset_hash=dataset_hash,
                config=versioned(config),
                environment=environment,
            )
            session.add(row)
            session.flush()
            return row.id

        return self._insert(add)

    @retry_on_disconnect
    def get_run(self, run_id: int) -> RunInfo:
        with self.read_session() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                raise KeyError(f"no run {run_id} in {self.url}")
            return run_info(row)

    @retry_on_disconnect
    def list_runs(self) -> list[RunInfo]:
        with self.read_session() as session:
            rows = session.scalars(select(RunRow).order_by(RunRow.id))
            return [run_info(row) for row in rows]

    @retry_on_disconnect
    def set_run_status(self, run_id: int, status: str) -> None:
        """Set the status. ``running`` stamps the first start and clears the end (a
        resumed run); ``interrupted``/``failed``/``finished`` stamp the end."""
        if status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {status!r}; expected one of {RUN_STATUSES}")
        with self.write_session() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                raise KeyError(f"no run {run_id} in {self.url}")
            row.status = status
            now = utcnow()
            if status == "running":
                row.started_at = row.started_at or now
                row.ended_at = None
            elif status in FINAL_STATUSES:
                row.ended_at = now

    # -- problems and candidates --------------------------------------------------

    @retry_on_disconnect
    def upsert_problem(self, problem: Problem) -> int:
        """The row id of ``problem`` (same dataset, id and content hash), inserting it once."""
        if not problem.content_hash:
            raise ValueError(f"problem {problem.key}: content_hash is empty")

        def find(session: Session) -> int | None:
            return session.scalar(
                select(ProblemRow.id).where(
                    ProblemRow.dataset == problem.dataset,
                    ProblemRow.problem_id == problem.id,
                    ProblemRow.content_hash == problem.content_hash,
                )
            )

        def create(session: Session) -> int:
            row = ProblemRow(
                dataset=problem.dataset,
                problem_id=problem.id,
                content_hash=problem.content_hash,
                kind=str(problem.kind),
                title=problem.title,
                entry_point=problem.entry_point,
                tags=list(problem.tags),
                slow_source=problem.slow_source,
                fast_source=problem.fast_source,
            )
            session.add(row)
            session.flush()
            return row.id

        return self._insert_once(find, create)

    @retry_on_disconnect
    def add_candidate(
        self, *, run_id: int, problem_row: int, slot_key: str, candidate: Candidate
    ) -> int:
        """Insert ``candidate`` into ``slot_key`` unless the slot is filled; return the
        slot's candidate id (also set on ``candidate.id``)."""

        def find(session: Session) -> int | None:
            return session.scalar(select(CandidateRow.id).where(CandidateRow.slot_key == slot_key))

        def create(session: Session) -> int:
            row = CandidateRow(
                run_id=run_id,
                problem_row_id=problem_row,
                slot_key=slot_key,
                technique=candidate.technique,
                model=candidate.model,
                code=candidate.code,
                code_hash=candidate.code_hash,
                parent_candidate_id=candidate.parent_id,
                round=candidate.round,
                sample=candidate.sample,
                reasoning=candidate.reasoning,
                extra=candidate.extra,
            )
            session.add(row)
            session.flush()
            return row.id

        candidate.id = self._insert_once(find, create)
        return candidate.id

    def _candidate_query(self) -> Select[CandidateRow, str, str, str, float]:
        return (
            select(
                CandidateRow,
                ProblemRow.dataset,
                ProblemRow.problem_id,
                VerdictRow.status,
                MeasurementRow.speedup,
            )
            .join(ProblemRow, CandidateRow.problem_row_id == ProblemRow.id)
            .outerjoin(VerdictRow, VerdictRow.candidate_id == CandidateRow.id)
            .outerjoin(MeasurementRow, MeasurementRow.candidate_id == CandidateRow.id)
            .order_by(CandidateRow.id)
        )

    @retry_on_disconnect
    def candidates(
        self, run_id: int, *, problem_row: int | None = None, technique: str | None = None
    ) -> list[CandidateInfo]:
        query = self._candidate_query().where(CandidateRow.run_id == run_id)
        if problem_row is not None:
            query = query.where(CandidateRow.problem_row_id == problem_row)
        if technique is not None:
            query = query.where(CandidateRow.technique == technique)
        with self.read_session() as session:
            return [
                candidate_info(row, dataset, problem_id, status, speedup)
                for row, dataset, problem_id, status, speedup in session.execute(query)
            ]

    @retry_on_disconnect
    def get_candidate(self, candidate_id: int) -> CandidateInfo:
        query = self._candidate_query().where(CandidateRow.id == candidate_id)
        with self.read_session() as session:
            found = session.execute(query).first()
        if found is None:
            raise KeyError(f"no candidate {candidate_id} in {self.url}")
        row, dataset, problem_id, status, speedup = found
        return candidate_info(row, dataset, problem_id, status, speedup)

    # -- verdicts and measurements ------------------------------------------------

    @retry_on_disconnect
    def save_verdict(self, candidate_id: int, verdict: Verdict) -> None:
        """Store the candidate's verdict; saving again replaces it (one row per candidate)."""
        fields = {
            "status": verdict.status.value,
            "stage": verdict.stage.value,
            "examples_tried": verdict.examples_tried,
            "message": verdict.message,
            "counterexample": verdict.to_dict()["counterexample"],
            "details": versioned(verdict.to_dict()),
            "elapsed_s": verdict.elapsed_s,
        }
        self._upsert_by_candidate(VerdictRow, candidate_id, fields)

    @retry_on_disconnect
    def verdict(self, candidate_id: int) -> Verdict | None:
        with self.read_session() as session:
            details = session.scalar(
                select(VerdictRow.details).where(VerdictRow.candidate_id == candidate_id)
            )
        return None if details is None else Verdict.from_dict(details)

    @retry_on_disconnect
    def save_measurement(self, candidate_id: int, m: Measurement, machine_id: str) -> None:
        """Store the candidate's measurement; saving again replaces it."""
        memory = m.memory
        fields = {
            **_speedup_fields(m, machine_id),
            "memory_ratio": memory.ratio if memory else None,
            "memory_ci_low": memory.ci_low if memory else None,
            "memory_ci_high": memory.ci_high if memory else None,
        }
        self._upsert_by_candidate(MeasurementRow, candidate_id, fields)

    @retry_on_disconnect
    def measurement(self, candidate_id: int) -> Measurement | None:
        with self.read_session() as session:
            details = session.scalar(
                select(MeasurementRow.details).where(MeasurementRow.candidate_id == candidate_id)
            )
        return None if details is None else Measurement.from_dict(details)

    @retry_on_disconnect
    def save_confirmation(self, candidate_id: int, m: Measurement, machine_id: str) -> None:
        """Store the confirmation measurement of a selected candidate (time only); saving
        again replaces it."""
        self._upsert_by_candidate(ConfirmationRow, candidate_id, _speedup_fields(m, machine_id))

    @retry_on_disconnect
    def confirmation(self, candidate_id: int) -> Measurement | None:
        with self.read_session() as session:
            details = session.scalar(
                select(ConfirmationRow.details).where(ConfirmationRow.candidate_id == candidate_id)
            )
        return None if details is None else Measurement.from_dict(details)

    def _upsert_by_candidate(
        self,
        model: type[VerdictRow] | type[MeasurementRow] | type[ConfirmationRow],
        candidate_id: int,
        fields: dict,
    ) -> None:
        def find(session: Session) -> bool | None:
            row = session.scalar(select(model).where(model.candidate_id == candidate_id))
            if row is None:
                return None
            for key, value in {**fields, "created_at": utcnow()}.items():
                setattr(row, key, value)
            return True

        def create(session: Session) -> bool:
            session.add(model(candidate_id=candidate_id, **fields))
            session.flush()
            return True

        self._insert_once(find, create)

    # -- baselines ----------------------------------------------------------------

    @retry_on_disconnect
    def get_baseline(self, problem_hash: str, machine_id: str, profile: str) -> Baseline | None:
        with self.read_session() as session:
            row = session.scalar(
                select(BaselineRow).where(
                    BaselineRow.problem_hash == problem_hash,
                    BaselineRow.machine_id == machine_id,
                    BaselineRow.profile == profile,
                )
            )
            if row is None:
                return None
            return Baseline(
                time_values=[float(v) for v in row.time_values],
                memory_values=None
                if row.memory_values is None
                else [float(v) for v in row.memory_values],
                machine=row.machine,
            )

    @retry_on_disconnect
    def save_baseline(
        self,
        problem_hash: str,
        machine_id: str,
        profile: str,
        time_values: list[float],
        memory_values: list[float] | None,
        machine: dict[str, Any],
    ) -> None:
        """Store the original's measurement once. A second save keeps the first: every
        candidate of the problem on this machine must be compared with the same baseline."""

        def find(session: Session) -> int | None:
            return session.scalar(
                select(BaselineRow.id).where(
                    BaselineRow.problem_hash == problem_hash,
                    BaselineRow.machine_id == machine_id,
                    BaselineRow.profile == profile,
                )
            )

        def create(session: Session) -> int:
            row = BaselineRow(
                problem_hash=problem_hash,
                machine_id=machine_id,
                profile=profile,
                time_values=list(time_values),
                memory_values=None if memory_values is None else list(memory_values),
                machine=machine,
            )
            session.add(row)
            session.flush()
            return row.id

        self._insert_once(find, create)

    # -- model calls --------------------------------------------------------------

    def record_model_call(
        self,
        *,
        cache_key: str,
        request_key: str,
        model: str,
        messages: list[dict[str, Any]],
        params: dict[str, Any],
        completion: str,
        input_tokens: int,
        output_tokens: int,
        latency_s: float,
        cache_hit: bool,
        error: str | None = None,
        run_id: int | None = None,
        candidate_id: int | None = None,
    ) -> int:

        def add(session: Session) -> int:
            row = ModelCallRow(
                run_id=run_id,
                candidate_id=candidate_id,
                model=model,
                cache_key=cache_key,
                request_key=request_key,
                messages=messages,
                params=params,
                completion=completion,
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                latency_s=latency_s,
                cache_hit=cache_hit,
                error=error,
            )
            session.add(row)
            session.flush()
            return row.id

        return self._insert(add)

    def link_model_call(self, call_id: int, candidate_id: int) -> None:
        """Attach a recorded call to the candidate it produced (see :meth:`link_model_calls`)."""
        self.link_model_calls([call_id], candidate_id)

    @retry_on_disconnect
    def link_model_calls(self, call_ids: Sequence[int], candidate_id: int) -> None:
        """Attach recorded calls to the candidate their replies produced (known only
        afterwards), so that the candidate's tokens and generation time are theirs.

        Each call counts once: a call already attached to a candidate stays with it. A
        cache hit that repeats, in the same run, a call recorded there before for this
        candidate or for none (a resumed run asks its model again, and is served from the
        cache) is no new cost: the earlier call is attached and the repeat is deleted, so a
        run's calls add up to its candidates' costs however often it resumed. Ids no longer
        in the store (such a deleted repeat) are skipped.
        """
        with self.write_session() as session:
            for call_id in call_ids:
                row = session.get(ModelCallRow, call_id)
                if row is None or row.candidate_id is not None:
                    continue
                if row.cache_hit and row.run_id is not None:
                    earlier = session.scalar(
                        select(ModelCallRow)
                        .where(
                            ModelCallRow.run_id == row.run_id,
                            ModelCallRow.cache_key == row.cache_key,
                            ModelCallRow.id < row.id,
                            ModelCallRow.error.is_(None),
                            or_(
                                ModelCallRow.candidate_id.is_(None),
                                ModelCallRow.candidate_id == candidate_id,
                            ),
                        )
                        .order_by(ModelCallRow.id)
                        .limit(1)
                    )
                    if earlier is not None:
                        earlier.candidate_id = candidate_id
                        session.delete(row)
                        continue
                row.candidate_id = candidate_id

    @retry_on_disconnect
    def model_calls_by_id(self, call_ids: Sequence[int]) -> list[ModelCallInfo]:
        """The calls with these ids that the store holds, by id."""
        ids = sorted(set(call_ids))
        found: list[ModelCallInfo] = []
        with self.read_session() as session:
            for start in range(0, len(ids), 500):
                rows = session.scalars(
                    select(ModelCallRow)
                    .where(ModelCallRow.id.in_(ids[start : start + 500]))
                    .order_by(ModelCallRow.id)
                )
                found.extend(call_info(row) for row in rows)
        return found

    @retry_on_disconnect
    def cached_call(self, cache_key: str) -> ModelCallInfo | None:
        """The most recent successful call with this full-request key."""
        return self._latest_ok(ModelCallRow.cache_key == cache_key)

    @retry_on_disconnect
    def replay_call(self, request_key: str) -> ModelCallInfo | None:
        """The most recent successful call with this request, whatever the model."""
        return self._latest_ok(ModelCallRow.request_key == request_key)

    def _latest_ok(self, condition: Any) -> ModelCallInfo | None:
        with self.read_session() as session:
            row = session.scalar(
                select(ModelCallRow)
                .where(condition, ModelCallRow.error.is_(None))
                .order_by(ModelCallRow.id.desc())
                .limit(1)
            )
            return None if row is None else call_info(row)

    @retry_on_disconnect
    def model_calls(self, run_id: int) -> list[ModelCallInfo]:
        with self.read_session() as session:
            rows = session.scalars(
                select(ModelCallRow).where(ModelCallRow.run_id == run_id).order_by(ModelCallRow.id)
            )
            return [call_info(row) for row in rows]
