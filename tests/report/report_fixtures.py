"""A small store filled the way a run would fill it, with hand-picked outcomes.

Problems p1, p2, p3 in one run; technique ``t1`` and ``t2`` with model ``m``:

=========  ==========================================  =====================================
problem    t1 candidates (verdict, speedup, sig, mem)  t2 candidates
=========  ==========================================  =====================================
p1         eq 2.0 sig mem 1.25; eq 1.5 sig mem 2.0     eq 1.2 not significant
p2         eq 0.8 sig mem 0.8                          eq 1.10 sig; not_equivalent 3.0 sig
p3         not_equivalent (unmeasured)                 (none)
=========  ==========================================  =====================================
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from optbench.core import (
    Candidate,
    Measurement,
    MetricResult,
    Problem,
    ProblemKind,
    Stage,
    Stats,
    Verdict,
    VerdictStatus,
)
from optbench.report import CandidateRecord, load_records, to_confirm
from optbench.store import Store, open_store

EQ = VerdictStatus.EQUIVALENT
NEQ = VerdictStatus.NOT_EQUIVALENT


def _problem(pid: str) -> Problem:
    source = f"def {pid}(n):\n    return sum(i * i for i in range(n))\n"
    return Problem(
        id=pid,
        dataset="bundled",
        title=pid,
        kind=ProblemKind.FUNCTION,
        slow_source=source,
        entry_point=pid,
        content_hash=hashlib.sha256(source.encode()).hexdigest(),
    )


def measurement(speedup: float, significant: bool, memory: float | None = None) -> Measurement:
    base = [0.100, 0.101, 0.099, 0.100]
    time = MetricResult(
        metric="time",
        baseline=Stats(base),
        candidate=Stats([v / speedup for v in base]),
        ratio=speedup,
        ci_low=speedup * 0.97,
        ci_high=speedup * 1.03,
        significant=significant,
    )
    mem = None
    if memory is not None:
        mem = MetricResult(
            metric="peak_memory",
            baseline=Stats([4e6], unit="B"),
            candidate=Stats([4e6 / memory], unit="B"),
            ratio=memory,
            ci_low=memory,
            ci_high=memory,
            significant=True,
        )
    return Measurement(time=time, memory=mem, profile="quick")


@dataclass
class Filled:
    store: Store
    run_id: int
    problem_rows: dict[str, int]
    candidate_ids: dict[str, int]


def add(
    store: Store,
    run_id: int,
    row: int,
    slot: str,
    technique: str,
    verdict: VerdictStatus | None,
    m: Measurement | None = None,
    tokens: tuple[int, int, float] | None = None,
    model: str = "m",
) -> int:
    cid = store.add_candidate(
        run_id=run_id,
        problem_row=row,
        slot_key=f"{run_id}/{slot}",
        candidate=Candidate(code=f"# {slot}", technique=technique, model=model),
    )
    if verdict is not None:
        store.save_verdict(
            cid, Verdict(status=verdict, stage=Stage.DIFFERENTIAL, examples_tried=100)
        )
    if m is not None:
        store.save_measurement(cid, m, machine_id="host")
    if tokens is not None:
        store.record_model_call(
            cache_key=f"k-{slot}",
            request_key=f"r-{slot}",
            model=model,
            messages=[{"role": "user", "content": "optimize"}],
            params={},
            completion=f"# {slot}",
            input_tokens=tokens[0],
            output_tokens=tokens[1],
            latency_s=tokens[2],
            cache_hit=False,
            run_id=run_id,
            candidate_id=cid,
        )
    return cid


def confirm_like_the_runner(
    store: Store, run_id: int, draw: Callable[[CandidateRecord], Measurement]
) -> int:
    """Confirm what :func:`to_confirm` picks per (technique, model, problem), as the
    runner does, with the measurement ``draw`` gives for it; returns how many."""
    grouped: dict[tuple[str, str, int], list[CandidateRecord]] = defaultdict(list)
    for r in load_records(store, [run_id]):
        grouped[(r.technique, r.model, r.problem_row)].append(r)
    confirmed = 0
    for records in grouped.values():
        chosen = to_confirm(records)
        if chosen is not None:
            store.save_confirmation(chosen.candidate_id, draw(chosen), machine_id="host")
            confirmed += 1
    return confirmed


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Filled]:
    with open_store(f"sqlite:///{tmp_path / 'report.db'}") as store:
        run_id = store.create_run(
            name="pie",
            dataset="bundled",
            dataset_version="1",
            dataset_hash="h",
            config={},
            environment={},
        )
        rows = {pid: store.upsert_problem(_problem(pid)) for pid in ("p1", "p2", "p3")}
        ids = {
            "t1p1a": add(
                store,
                run_id,
                rows["p1"],
                "t1p1a",
                "t1",
                EQ,
                measurement(2.0, True, 1.25),
                (100, 50, 1.5),
            ),
            "t1p1b": add(
                store,
                run_id,
                rows["p1"],
                "t1p1b",
                "t1",
                EQ,
                measurement(1.5, True, 2.0),
                (200, 60, 2.0),
            ),
            "t1p2": add(
                store,
                run_id,
                rows["p2"],
                "t1p2",
                "t1",
                EQ,
                measurement(0.8, True, 0.8),
                (50, 10, 0.5),
            ),
            "t1p3": add(store, run_id, rows["p3"], "t1p3", "t1", NEQ, None, (10, 5, 0.25)),
            "t2p1": add(store, run_id, rows["p1"], "t2p1", "t2", EQ, measurement(1.2, False)),
            "t2p2a": add(store, run_id, rows["p2"], "t2p2a", "t2", EQ, measurement(1.10, True)),
            "t2p2b": add(store, run_id, rows["p2"], "t2p2b", "t2", NEQ, measurement(3.0, True)),
        }
        store.record_model_call(
            cache_key="orphan",
            request_key="orphan",
            model="m",
            messages=[],
            params={},
            completion="",
            input_tokens=999,
            output_tokens=999,
            latency_s=9.0,
            cache_hit=False,
            error="rate limited",
            run_id=run_id,
        )
        yield Filled(store, run_id, rows, ids)
