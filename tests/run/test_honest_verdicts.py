"""Everything the harness runs on a candidate is evidence, and a selected candidate's
speedup is reported from a measurement it was not selected by.

End to end through the real sandbox, verifier, pyperf measurer and SQLite store.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from optbench.core.verdict import Stage, VerdictStatus
from optbench.datasets import load_dataset
from optbench.report import per_problem
from optbench.store import open_store
from optbench.verify import VerifyConfig, verify
from optbench.verify.differential import run_differential

OPTBENCH = [sys.executable, "-m", "optbench.cli"]

SMALL_STRATEGY = """import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(st.lists(st.integers(-20, 20), max_size=40), st.integers(-40, 40))


def workload():
    rng = random.Random(1)
    return ([rng.randint(-500, 500) for _ in range(2500)], 17)


EDGE_CASES = [([], 0), ([5, 5], 10)]
"""

FIXED_TABLE = """def count_pairs(nums, target):
    table = [0] * 81
    count = 0
    for x in nums:
        want = target - x
        if -40 <= want <= 40:
            count += table[want + 40]
        if -40 <= x <= 40:
            table[x + 40] += 1
    return count
"""
"""Correct for the values the small strategy draws, wrong for the workload's."""


def _optbench(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*OPTBENCH, *args, "--db", f"sqlite:///{db}"], capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _script(tmp_path: Path, *codes: str) -> str:
    path = tmp_path / "replies.txt"
    path.write_text("\n---\n".join(f"```python\n{code}```" for code in codes))
    return f"fake:{path}"


@pytest.mark.slow
def test_a_candidate_wrong_only_on_the_workload_is_not_equivalent(
    tmp_path: Path, problem_copy: Callable[..., tuple[Path, Path]]
) -> None:
    dataset, folder = problem_copy("pair-sum-count")
    (folder / "inputs.py").write_text(SMALL_STRATEGY)
    problem = load_dataset(str(dataset)).get("pair-sum-count")
    assert verify(problem, FIXED_TABLE, VerifyConfig(max_examples=100)).ok, (
        "the generated inputs should not reach the workload's values"
    )
    db = tmp_path / "run.db"
    _optbench(
        "run", "--dataset", str(dataset), "--technique", "zero_shot",
        "--model", _script(tmp_path, FIXED_TABLE), "--profile", "smoke", "--examples", "100",
        db=db,
    )  # fmt: skip
    [(status, stage, details)] = _rows(
        db,
        "SELECT v.status, v.stage, v.details FROM verdicts v "
        "JOIN candidates c ON c.id = v.candidate_id WHERE c.technique = 'zero_shot'",
    )
    assert (status, stage) == (VerdictStatus.NOT_EQUIVALENT.value, Stage.WORKLOAD.value)
    assert "the benchmark workload: ([" in details
    with open_store(f"sqlite:///{db}") as store:
        [result] = per_problem(store)
    assert not result.correct and result.score == 1.0


class _Recorder:
    """Stands in for the sandboxed checker to learn which inputs a derandomized draw of
    the problem's strategy makes."""

    def __init__(self) -> None:
        self.inputs: list[Any] = []
        self.examples = 0

    def check(self, value: Any, drawn: bool = False) -> None:
        self.inputs.append(value)


def _tuned_to_the_derandomized_draw(tmp_path: Path, examples: int) -> tuple[Path, str]:
    """A problem over one integer, and a candidate correct exactly on the inputs that the
    derandomized draw of ``examples`` inputs (and the edge cases) contains: what a feedback
    loop can converge to when every verdict it sees comes from the same inputs."""
    root = tmp_path / "tuned"
    folder = root / "double"
    folder.mkdir(parents=True)
    (root / "dataset.toml").write_text('name = "tuned"\nversion = "0.1"\n')
    (folder / "problem.toml").write_text(
        'id = "double"\ntitle = "Double"\nkind = "function"\nentry_point = "double"\n'
        'tags = ["complexity"]\n\n[compare]\nmode = "exact"\n'
    )
    (folder / "slow.py").write_text("def double(x):\n    return sum(x for _ in range(2))\n")
    (folder / "fast.py").write_text("def double(x):\n    return 2 * x\n")
    (folder / "inputs.py").write_text(
        "from hypothesis import strategies as st\n\n\n"
        "def strategy():\n    return st.tuples(st.integers(0, 10**9))\n\n\n"
        "def workload():\n    return (12345,)\n\n\nEDGE_CASES = [(0,), (1,)]\n"
    )
    problem = load_dataset(str(root)).get("double")
    recorder = _Recorder()
    run_differential(recorder, problem.inputs().strategy(), examples, time.monotonic() + 60)  # type: ignore[arg-type]
    seen = sorted({value[0] for value in recorder.inputs} | {0, 1, 12345})
    code = (
        f"SEEN = frozenset({seen!r})\n\n\ndef double(x):\n    return 2 * x if x in SEEN else -1\n"
    )
    return root, code


def test_a_fresh_draw_catches_a_candidate_tuned_to_the_derandomized_inputs(
    tmp_path: Path,
) -> None:
    root, code = _tuned_to_the_derandomized_draw(tmp_path, 30)
    problem = load_dataset(str(root)).get("double")
    assert verify(problem, code, VerifyConfig(max_examples=30)).ok
    fresh = verify(problem, code, VerifyConfig(max_examples=30, seed=7))
    assert fresh.status is VerdictStatus.NOT_EQUIVALENT


@pytest.mark.slow
def test_candidates_that_saw_verdicts_get_a_final_verdict_on_fresh_inputs(
    tmp_path: Path,
) -> None:
    """feedback's drafts are verified inside its loop on the derandomized inputs; each
    draft's verdict counts only after a verification on a fresh draw."""
    root, code = _tuned_to_the_derandomized_draw(tmp_path, 30)
    db = tmp_path / "run.db"
    _optbench(
        "run", "--dataset", str(root), "--technique", "feedback(rounds=1,hotspots=0)",
        "--model", _script(tmp_path, code, code), "--profile", "smoke", "--examples", "30",
        db=db,
    )  # fmt: skip
    rows = _rows(
        db,
        "SELECT v.status, v.details FROM verdicts v JOIN candidates c ON c.id = v.candidate_id "
        "WHERE c.technique LIKE 'feedback%' AND c.code != ''",
    )
    assert rows, "feedback proposed nothing"
    assert {status for status, _ in rows} == {VerdictStatus.NOT_EQUIVALENT.value}
    assert all('"provisional": false' in details for _, details in rows)


@pytest.mark.slow
def test_the_selected_candidate_is_reported_from_a_confirmation(tmp_path: Path) -> None:
    """best_of_n draws three copies of the original: the best by its measurement is
    measured again (time only), and only that one."""
    db = tmp_path / "run.db"
    _optbench(
        "run", "--technique", "best_of_n(n=3,temperature=0.8)", "--model", "fake:",
        "--problems", "pair-sum-count", "--profile", "smoke", "--examples", "20",
        db=db,
    )  # fmt: skip
    measured = _rows(
        db,
        "SELECT c.id, m.speedup FROM measurements m JOIN candidates c ON c.id = m.candidate_id",
    )
    assert len(measured) == 3
    best = max(measured, key=lambda row: (row[1], -row[0]))[0]
    confirmed = _rows(db, "SELECT candidate_id, details FROM confirmations")
    assert [row[0] for row in confirmed] == [best]
    assert '"memory": null' in confirmed[0][1]
