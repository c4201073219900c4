"""Shared fixtures (imported by conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from optbench.core import Candidate, Measurement, MetricResult, Stage, Stats, Verdict
from optbench.core import VerdictStatus as VS
from optbench.datasets import load_dataset
from optbench.store import Store, open_store

DATASET = "optbench-py"
PROBLEMS = ("pair-sum-count", "count-primes", "edit-distance")


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random 2-layer LLaMA (hidden 32) with a BPE tokenizer trained on local sources."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from optbench.train.tiny import make_tiny_model

    return make_tiny_model(tmp_path_factory.mktemp("tiny") / "base", vocab_size=1024)


@pytest.fixture(scope="session")
def sft_records() -> list[dict[str, Any]]:
    """Prompt/completion records for the references of a few bundled problems."""
    from optbench.train.data import build_sft, reference_attempts

    attempts = [a for a in reference_attempts(DATASET) if a.problem.id in PROBLEMS]
    records, _ = build_sft(attempts)
    return records


def measurement(speedup: float, significant: bool = True) -> Measurement:
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
    return Measurement(time=time, profile="quick")


@dataclass
class Filled:
    store: Store
    url: str
    run_id: int
    second_run: int


def _add(
    store: Store,
    run_id: int,
    row: int,
    slot: str,
    code: str,
    status: VS | None,
    speedup: float | None = None,
    significant: bool = True,
) -> int:
    cid = store.add_candidate(
        run_id=run_id,
        problem_row=row,
        slot_key=f"{run_id}/{slot}",
        candidate=Candidate(code=code, technique="zero_shot", model="fake:m"),
    )
    if status is not None:
        store.save_verdict(cid, Verdict(status=status, stage=Stage.DIFFERENTIAL, examples_tried=50))
    if speedup is not None:
        store.save_measurement(cid, measurement(speedup, significant), machine_id="host")
    return cid


@pytest.fixture
def filled_store(tmp_path: Path) -> Iterator[Filled]:
    """Two runs over bundled problems with hand-picked outcomes.

    ============== ====================================================================
    pair-sum-count fast (eq 3.0 sig); the same fast code reformatted (eq 2.5 sig, a
                   duplicate); wrong (not_equivalent); slower (eq 0.5 sig)
    count-primes   fast (eq 2.0 sig); noise (eq 1.05 sig: neither); crash (error)
    edit-distance  unverified; insignificant (eq 1.5 not sig); a copy of the slow code
    run 2          pair-sum-count: the fast code again, with a comment (duplicate)
    ============== ====================================================================
    """
    dataset = load_dataset(DATASET)
    problems = {pid: dataset.get(pid) for pid in PROBLEMS}
    url = f"sqlite:///{tmp_path / 'train.db'}"
    psc = problems["pair-sum-count"].fast_source or ""
    cp = problems["count-primes"].fast_source or ""
    with open_store(url) as store:
        runs = [
            store.create_run(
                name=f"r{i}",
                dataset=DATASET,
                dataset_version=dataset.version,
                dataset_hash=dataset.content_hash,
                config={},
                environment={},
            )
            for i in (1, 2)
        ]
        rows = {pid: store.upsert_problem(p) for pid, p in problems.items()}
        r1 = runs[0]
        _add(store, r1, rows["pair-sum-count"], "a", psc, VS.EQUIVALENT, 3.0)
        _add(store, r1, rows["pair-sum-count"], "b", "\n\n" + psc + "\n\n", VS.EQUIVALENT, 2.5)
        _add(
            store,
            r1,
            rows["pair-sum-count"],
            "c",
            "def wrong():\n    return 0\n",
            VS.NOT_EQUIVALENT,
        )
        slower = "import time\n" + psc
        _add(store, r1, rows["pair-sum-count"], "d", slower, VS.EQUIVALENT, 0.5)
        _add(store, r1, rows["count-primes"], "e", cp, VS.EQUIVALENT, 2.0)
        _add(store, r1, rows["count-primes"], "f", "# noise\nimport os\n" + cp, VS.EQUIVALENT, 1.05)
        _add(store, r1, rows["count-primes"], "g", "raise SystemExit(1)\n", VS.ERROR)
        ed = problems["edit-distance"]
        _add(store, r1, rows["edit-distance"], "h", "x = 1\n", None)
        _add(store, r1, rows["edit-distance"], "i", ed.fast_source or "", VS.EQUIVALENT, 1.5, False)
        _add(store, r1, rows["edit-distance"], "j", ed.slow_source, VS.EQUIVALENT, 1.0, False)
        _add(store, runs[1], rows["pair-sum-count"], "a", "# faster\n" + psc, VS.EQUIVALENT, 2.8)
        yield Filled(store, url, r1, runs[1])
