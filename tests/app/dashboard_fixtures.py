"""A hand-filled store with every kind of row the dashboard shows.

Run 1 (finished): ``identity`` (no model) and ``feedback`` with model ``m`` on p1, p2:
feedback on p1 is a refinement chain (round 0 not equivalent with a counterexample,
round 1 equivalent 1.5x, round 2 equivalent 2.5x) with a model call per candidate; on p2
one equivalent candidate (3.0x) and a second sample whose reply had no code.
Run 2 (running): ``feedback`` on p1, one candidate, not yet verified.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from optbench.core import (
    Candidate,
    Counterexample,
    Measurement,
    MetricResult,
    Problem,
    ProblemKind,
    Stage,
    Stats,
    Verdict,
    VerdictStatus,
)
from optbench.store import Store, open_store

SLOW = "def {pid}(n):\n    total = 0\n    for i in range(n):\n        total += i * i\n    return total\n"
FAST = "def {pid}(n):\n    return (n - 1) * n * (2 * n - 1) // 6\n"


@dataclass
class Filled:
    url: str
    runs: tuple[int, int]
    problem_rows: dict[str, int]
    chain: tuple[int, int, int]
    """The feedback chain on p1 in run 1, root first."""


def _problem(pid: str, kind: ProblemKind, tags: tuple[str, ...]) -> Problem:
    source = SLOW.format(pid=pid)
    return Problem(
        id=pid,
        dataset="bundled",
        title=f"Sum of squares ({pid})",
        kind=kind,
        slow_source=source,
        entry_point=pid,
        tags=tags,
        content_hash=hashlib.sha256(source.encode()).hexdigest(),
    )


def _measurement(speedup: float) -> Measurement:
    base = [0.100, 0.102, 0.098, 0.101, 0.099]
    return Measurement(
        time=MetricResult(
            metric="time",
            baseline=Stats(base),
            candidate=Stats([v / speedup for v in base]),
            ratio=speedup,
            ci_low=speedup * 0.95,
            ci_high=speedup * 1.05,
            significant=abs(speedup - 1.0) > 0.05,
        ),
        memory=MetricResult(
            metric="peak_memory",
            baseline=Stats([4e6], unit="B"),
            candidate=Stats([4e6 / 1.2], unit="B"),
            ratio=1.2,
            ci_low=1.2,
            ci_high=1.2,
            significant=True,
        ),
        profile="quick",
    )


def _add(
    store: Store,
    run_id: int,
    row: int,
    slot: str,
    technique: str,
    model: str,
    code: str,
    *,
    parent: int | None = None,
    round_: int = 0,
    verdict: Verdict | None = None,
    speedup: float | None = None,
    call: tuple[int, int, float] | None = None,
) -> int:
    cid = store.add_candidate(
        run_id=run_id,
        problem_row=row,
        slot_key=f"{run_id}/{slot}",
        candidate=Candidate(
            code=code, technique=technique, model=model, parent_id=parent, round=round_
        ),
    )
    if verdict is not None:
        store.save_verdict(cid, verdict)
    if speedup is not None:
        store.save_measurement(cid, _measurement(speedup), machine_id="host")
    if call is not None:
        store.record_model_call(
            cache_key=f"k-{run_id}-{slot}",
            request_key=f"r-{run_id}-{slot}",
            model=model,
            messages=[
                {"role": "system", "content": "You optimize Python programs."},
                {"role": "user", "content": f"Make this faster ({slot})."},
            ],
            params={"temperature": 0.0},
            completion=f"```python\n{code}```",
            input_tokens=call[0],
            output_tokens=call[1],
            latency_s=call[2],
            cache_hit=False,
            run_id=run_id,
            candidate_id=cid,
        )
    return cid


def equivalent() -> Verdict:
    return Verdict(VerdictStatus.EQUIVALENT, Stage.DIFFERENTIAL, examples_tried=35)


def fill(path: Path) -> Filled:
    url = f"sqlite:///{path}"
    with open_store(url) as store:
        config = {
            "run": {"techniques": ["identity", "feedback"], "models": ["m"], "profile": "quick"}
        }
        environment = {"machine": {"hostname": "lab", "cpu_model": "EPYC", "machine_id": "abc"}}
        first = store.create_run(
            name="pie",
            dataset="bundled",
            dataset_version="1",
            dataset_hash="h",
            config={**config, "problems": ["p1", "p2"]},
            environment=environment,
        )
        store.set_run_status(first, "running")
        rows = {
            "p1": store.upsert_problem(_problem("p1", ProblemKind.FUNCTION, ("math",))),
            "p2": store.upsert_problem(_problem("p2", ProblemKind.PROGRAM, ("io", "math"))),
        }
        for pid, speedup in (("p1", 1.02), ("p2", 0.97)):
            _add(
                store,
                first,
                rows[pid],
                f"id-{pid}",
                "identity",
                "",
                SLOW.format(pid=pid),
                verdict=equivalent(),
                speedup=speedup,
            )
        wrong = Verdict(
            VerdictStatus.NOT_EQUIVALENT,
            Stage.DIFFERENTIAL,
            examples_tried=12,
            message="outputs differ",
            counterexample=Counterexample(input="n=-1", expected="0", actual="-0"),
        )
        root = _add(
            store,
            first,
            rows["p1"],
            "fb-p1-0",
            "feedback",
            "m",
            "def p1(n):\n    return -0\n",
            verdict=wrong,
            call=(120, 40, 1.5),
        )
        middle = _add(
            store,
            first,
            rows["p1"],
            "fb-p1-1",
            "feedback",
            "m",
            "def p1(n):\n    return sum(i * i for i in range(n))\n",
            parent=root,
            round_=1,
            verdict=equivalent(),
            speedup=1.5,
            call=(200, 60, 2.0),
        )
        last = _add(
            store,
            first,
            rows["p1"],
            "fb-p1-2",
            "feedback",
            "m",
            FAST.format(pid="p1"),
            parent=middle,
            round_=2,
            verdict=equivalent(),
            speedup=2.5,
            call=(260, 50, 2.5),
        )
        _add(
            store,
            first,
            rows["p2"],
            "fb-p2-0",
            "feedback",
            "m",
            FAST.format(pid="p2"),
            verdict=equivalent(),
            speedup=3.0,
            call=(100, 30, 1.0),
        )
        no_code = store.add_candidate(
            run_id=first,
            problem_row=rows["p2"],
            slot_key=f"{first}/fb-p2-1",
            candidate=Candidate(
                code="",
                technique="feedback",
                model="m",
                sample=1,
                extra={"outcome": "no_code", "message": "no_code: the reply has no code"},
            ),
        )
        store.save_verdict(
            no_code,
            Verdict(VerdictStatus.ERROR, Stage.STATIC, message="no_code: the reply has no code"),
        )
        store.set_run_status(first, "finished")
        second = store.create_run(
            name=None,
            dataset="bundled",
            dataset_version="1",
            dataset_hash="h",
            config={**config, "problems": ["p1", "p2"]},
            environment=environment,
        )
        store.set_run_status(second, "running")
        _add(
            store,
            second,
            rows["p1"],
            "fb-p1-0",
            "feedback",
            "m",
            FAST.format(pid="p1"),
            call=(90, 20, 0.5),
        )
    return Filled(url, (first, second), rows, (root, middle, last))
