"""DPO's rejected programs are code the model wrote and that was judged wrong or slower;
never a reply without code, a failed call, or a failure of the harness or the dataset."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from train_fixtures import DATASET, measurement

from optbench.core import Candidate, Problem, Stage, Verdict
from optbench.core import VerdictStatus as VS
from optbench.datasets import load_dataset
from optbench.measure import BaselineResult
from optbench.run.executors.base import VerifyJob, failed_measurement, lost_verdict, run_verify
from optbench.store import Store, open_store
from optbench.train.data import (
    NOT_THE_CODES_DOING,
    Rules,
    build_dpo,
    reference_attempts,
    run_attempts,
)
from optbench.verify import VerifyConfig, verify

PROBLEM = "pair-sum-count"
ALL_PAIRS = Rules(max_per_problem=0, require_significant=False)


def _answer(code: str) -> str:
    return f"```python\n{code.strip()}\n```"


def _wrong(n: int) -> str:
    return f"def count_pairs(nums, target):\n    return {n}\n"


def _broken_strategy(problem: Problem) -> Problem:
    """The problem with an inputs.py whose strategy raises on every draw."""
    source = (problem.inputs_source or "") + (
        "\n\ndef strategy():\n    return st.integers().map(lambda x: 1 // 0)\n"
    )
    return dataclasses.replace(problem, inputs_source=source, content_hash="broken-strategy")


def _job(problem: Problem | None, code: str, config: VerifyConfig) -> VerifyJob:
    return VerifyJob(1, problem, code, config)  # type: ignore[arg-type]


@pytest.fixture
def judged(tmp_path: Path) -> tuple[Store, int, dict[str, str]]:
    """A run's candidates for one problem: the ones the model's code earned a rejection
    with, and blameless ones; ``codes`` maps each case to its code."""
    dataset = load_dataset(DATASET)
    problem = dataset.get(PROBLEM)
    fast = problem.fast_source or ""
    correct_copy = problem.slow_source + "\n_unused = 0\n"
    config = VerifyConfig(max_examples=5, budget_s=60)
    verdicts: dict[str, tuple[str, Verdict]] = {
        # judged wrong: the model's fault
        "not_equivalent": (_wrong(1), Verdict(VS.NOT_EQUIVALENT, Stage.DIFFERENTIAL)),
        "crash": (
            _wrong(2),
            Verdict(VS.ERROR, Stage.DIFFERENTIAL, message="the process running it died"),
        ),
        "syntax": (_wrong(3) + "  )", verify(problem, _wrong(3) + "  )", config)),
        "timeout": (_wrong(4), Verdict(VS.TIMEOUT, Stage.DIFFERENTIAL, message="took longer")),
        "sandbox_policy": (_wrong(5), Verdict(VS.REJECTED, Stage.STATIC, message="policy")),
        # not the model's fault
        "verification_lost": (
            _wrong(6),
            Verdict.from_dict(
                lost_verdict(_job(problem, _wrong(6), config), "worker died").verdict
            ),
        ),
        "verifier_failed": (
            _wrong(7),
            Verdict.from_dict(run_verify(_job(None, _wrong(7), config)).verdict),
        ),
        "strategy_failed": (correct_copy, verify(_broken_strategy(problem), correct_copy, config)),
    }
    assert verdicts["syntax"][1].status is VS.ERROR
    for case in ("verification_lost", "verifier_failed", "strategy_failed"):
        verdict = verdicts[case][1]
        assert verdict.status is VS.ERROR, (case, verdict)
        assert verdict.message.startswith(NOT_THE_CODES_DOING), (case, verdict.message)

    store = open_store(f"sqlite:///{tmp_path / 'blame.db'}")
    run_id = store.create_run(
        name="blame",
        dataset=DATASET,
        dataset_version=dataset.version,
        dataset_hash=dataset.content_hash,
        config={},
        environment={},
    )
    row = store.upsert_problem(problem)
    codes: dict[str, str] = {}

    def add(case: str, code: str, verdict: Verdict, extra: dict | None = None) -> int:
        cid = store.add_candidate(
            run_id=run_id,
            problem_row=row,
            slot_key=f"{run_id}/{case}",
            candidate=Candidate(code=code, technique="t", model="fake:m", extra=extra or {}),
        )
        store.save_verdict(cid, verdict)
        codes[case] = code
        return cid

    add("fast", fast, Verdict(VS.EQUIVALENT, Stage.DIFFERENTIAL))
    store.save_measurement(store.candidates(run_id)[-1].id, measurement(3.0), "host")
    slower = "import os\n" + fast
    add("slower", slower, Verdict(VS.EQUIVALENT, Stage.DIFFERENTIAL))
    store.save_measurement(store.candidates(run_id)[-1].id, measurement(0.5), "host")
    for case, (code, verdict) in verdicts.items():
        add(case, code, verdict)
    # equivalent, but its measurement was lost: neither faster nor slower
    lost = "import sys\n" + fast
    cid = add("measurement_lost", lost, Verdict(VS.EQUIVALENT, Stage.DIFFERENTIAL))
    baseline = BaselineResult(
        time_values=list(measurement(1.0).time.baseline.values),
        memory_values=[],
        output_digest="",
        machine={"machine_id": "host"},
    )
    lost_measurement = failed_measurement(
        baseline, "quick", baseline.machine, "measurement lost: the worker died"
    )
    store.save_measurement(cid, lost_measurement, "host")
    # replies without code, as the runner stores them
    for outcome in ("no_code", "model_error", "no_candidate"):
        message = f"{outcome}: nothing to show"
        add(
            outcome,
            "",
            Verdict(VS.ERROR, Stage.STATIC, message=message),
            {"outcome": outcome, "message": message},
        )
    add("blank", "\n   \n", Verdict(VS.ERROR, Stage.STATIC, message="defines no function"))
    return store, run_id, codes


def test_rejected_programs_are_the_models_wrong_or_slower_code(
    judged: tuple[Store, int, dict[str, str]],
) -> None:
    store, run_id, codes = judged
    records, _ = build_dpo(run_attempts(store, [run_id]), rules=ALL_PAIRS)
    store.close()
    assert {r["chosen"][0]["content"] for r in records} == {_answer(codes["fast"])}
    rejected = [r["rejected"][0]["content"] for r in records]
    expected = ["slower", "not_equivalent", "crash", "syntax", "timeout", "sandbox_policy"]
    assert sorted(rejected) == sorted(_answer(codes[case]) for case in expected)


def test_blameless_attempts_are_never_rejected_even_beside_a_reference(
    judged: tuple[Store, int, dict[str, str]],
) -> None:
    store, run_id, codes = judged
    attempts = [a for a in reference_attempts(DATASET) if a.problem.id == PROBLEM]
    attempts += run_attempts(store, [run_id])
    store.close()
    blameless = {
        "verification_lost",
        "verifier_failed",
        "strategy_failed",
        "measurement_lost",
        "no_code",
        "model_error",
        "no_candidate",
        "blank",
    }
    flagged = {a.source for a in attempts if a.blameless}
    assert len(flagged) == len(blameless) - 1  # measurement_lost is the model's code, untimed
    records, _ = build_dpo(attempts, rules=ALL_PAIRS)
    rejected = {r["rejected"][0]["content"] for r in records}
    assert rejected
    for case in blameless:
        assert _answer(codes[case]) not in rejected, case


@pytest.mark.slow
def test_a_runs_replies_without_code_are_never_rejected(tmp_path: Path) -> None:
    from tests.run.model_costs import PROBLEM as RUN_PROBLEM
    from tests.run.model_costs import run, script

    db = tmp_path / "run.db"
    run_id = run(db, script(tmp_path))
    with open_store(f"sqlite:///{db}") as store:
        stored = run_attempts(store, [run_id])
    outcomes = [a for a in stored if not a.code]
    assert outcomes and all(a.blameless for a in outcomes)
    attempts = [a for a in reference_attempts(DATASET) if a.problem.id == RUN_PROBLEM]
    records, _ = build_dpo(attempts + stored, rules=ALL_PAIRS)
    rejected = {r["rejected"][0]["content"] for r in records}
    written = {_answer(a.code) for a in stored if a.code and a.status == "not_equivalent"}
    assert rejected == written
