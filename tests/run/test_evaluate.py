"""``optbench evaluate``: generations made elsewhere, verified, measured and reported like
a run's own."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from optbench.cli import cli
from optbench.datasets import load_dataset
from optbench.report import per_problem, summarize
from optbench.store import open_store

WRONG = "def count_pairs(nums, target):\n    return 0\n"


def _samples(tmp_path: Path) -> Path:
    problem = load_dataset("optbench-py").get("pair-sum-count")
    fast = problem.fast_source or ""
    lines = [
        {"problem_id": "pair-sum-count", "completion": f"Faster:\n```python\n{fast}```\n",
         "model": "m1", "technique": "zero_shot"},
        {"problem_id": "pair-sum-count", "code": WRONG, "model": "m1", "technique": "zero_shot"},
        {"problem_id": "pair-sum-count", "completion": "I cannot help with that.",
         "model": "m2", "technique": "zero_shot", "sample": 0},
        "not an object",
        {"problem_id": "nosuch", "code": WRONG},
        {"problem_id": "pair-sum-count", "code": WRONG, "temperature": 0.2},
    ]  # fmt: skip
    path = tmp_path / "samples.jsonl"
    text = "\n".join(json.dumps(line) for line in lines) + "\n{broken json\n"
    path.write_text(text)
    return path


@pytest.mark.slow
def test_a_samples_file_is_evaluated_and_reported(tmp_path: Path) -> None:
    db = tmp_path / "eval.db"
    result = CliRunner().invoke(
        cli,
        ["evaluate", str(_samples(tmp_path)), "--profile", "smoke", "--examples", "20",
         "--db", f"sqlite:///{db}"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    for line in (4, 5, 6, 7):
        assert f"left out: line {line}:" in said
    assert "not in the dataset" in said and "unknown key(s) ['temperature']" in said
    with open_store(f"sqlite:///{db}") as store:
        rows = {(r.technique, r.model): r for r in summarize(store)}
        results = {(r.technique, r.model): r for r in per_problem(store)}
    assert set(rows) == {("zero_shot", "m1"), ("zero_shot", "m2")}
    assert rows[("zero_shot", "m1")].correct_pct.value == 100.0
    assert results[("zero_shot", "m1")].speedup is not None
    assert rows[("zero_shot", "m2")].correct_pct.value == 0.0
    with sqlite3.connect(db) as conn:
        verdicts = sorted(
            (model, status, json.loads(extra).get("outcome"))
            for model, status, extra in conn.execute(
                "SELECT c.model, v.status, c.extra FROM candidates c "
                "JOIN verdicts v ON v.candidate_id = c.id"
            )
        )
    assert verdicts == [
        ("m1", "equivalent", None),
        ("m1", "not_equivalent", None),
        ("m2", "error", "no_code"),
    ]


def test_a_file_without_usable_samples_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("{broken\n")
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, ["evaluate", str(path), "--db", f"sqlite:///{db}"])
    assert result.exit_code == 2
    assert "no usable sample" in result.output
