"""Importers judge as their sources judge: ENAMEL and HumanEval compare return values only
(argument mutation allowed), and a record may bring a checker for several valid answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from optbench.cli import cli
from optbench.core.problem import ComparePolicy, Problem, ProblemKind
from optbench.datasets import load_dataset
from optbench.datasets.importers import (
    import_enamel,
    import_generic,
    import_humaneval,
    write_problems,
)
from optbench.datasets.importers.common import parse_compare_option
from optbench.datasets.quickcheck import quick_check
from optbench.techniques.prompting import describe_problem

DATA = Path(__file__).parent / "data"

CHECKER = """
def check(given, expected, actual):
    nums, target = given
    if expected is None:
        return actual is None
    i, j = actual
    return i != j and nums[i] + nums[j] == target
"""

TWO_SUM = {
    "task_id": "Pairs/0",
    "prompt": "def two_sum(nums, target):\n",
    "canonical_solution": (
        "    for i in range(len(nums)):\n"
        "        for j in range(i + 1, len(nums)):\n"
        "            if nums[i] + nums[j] == target:\n"
        "                return (i, j)\n"
        "    return None\n"
    ),
    "entry_point": "two_sum",
    "reference": (
        "def two_sum(nums, target):\n"
        "    seen = {}\n"
        "    for j, x in enumerate(nums):\n"
        "        if target - x in seen:\n"
        "            return (seen[target - x], j)\n"
        "        seen[x] = j\n"
        "    return None\n"
    ),
    "generator": (
        "def generate(size, rng):\n"
        "    return [[rng.randint(-9, 9) for _ in range(size)], rng.randint(-5, 5)]\n"
    ),
    "levels": [6, 400],
    "checker": CHECKER,
}


def _jsonl(tmp_path: Path, *records: dict[str, Any]) -> Path:
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return path


def test_an_enamel_record_brings_its_checker_and_allows_mutation(tmp_path: Path) -> None:
    no_source = {**TWO_SUM, "task_id": "Pairs/1", "compare": {"mode": "exact", "checker": "f"}}
    no_source.pop("checker")
    broken = {**TWO_SUM, "task_id": "Pairs/2", "checker": "def check(:\n"}
    misnamed = {**TWO_SUM, "task_id": "Pairs/3", "compare": {"mode": "exact", "checker": "judge"}}
    jsonl = _jsonl(tmp_path, TWO_SUM, no_source, broken, misnamed)
    problems, errors = import_enamel(jsonl)
    assert [p.id for p in problems] == ["pairs-0"]
    messages = [str(e) for e in errors]
    assert "line 2" in messages[0] and "has no 'checker' source" in messages[0]
    assert "line 3" in messages[1] and "does not parse" in messages[1]
    assert "line 4" in messages[2] and "defines no function judge()" in messages[2]
    out = write_problems(problems, tmp_path / "pairs", "pairs")
    problem = load_dataset(out).get("pairs-0")
    assert problem.compare == ComparePolicy(mutation=False, checker="check")
    check = problem.checker()
    assert check is not None and check(([2, 7, 11], 9), (0, 1), (1, 0)) is True

    shown = CliRunner().invoke(cli, ["datasets", "show", str(out / "pairs-0")])
    assert shown.exit_code == 0, shown.output
    assert "argument mutation allowed" in shown.output
    assert "check() in checker.py" in shown.output
    assert "nums[i] + nums[j] == target" in shown.output  # the checker.py panel


def test_compare_override_keeps_the_records_checker_and_may_check_mutation(
    tmp_path: Path,
) -> None:
    override = parse_compare_option("float:1e-3,mutation-checked")
    assert override == {"mode": "float", "rel_tol": 1e-3, "abs_tol": 1e-3, "mutation": True}
    assert parse_compare_option("exact,mutation-allowed") == {"mode": "exact", "mutation": False}
    with pytest.raises(ValueError, match="unknown word 'sorted'"):
        parse_compare_option("exact,sorted")
    [files], _ = import_enamel(_jsonl(tmp_path, TWO_SUM), override)
    assert files.meta["compare"] == {
        "checker": "check",
        "mode": "float",
        "rel_tol": 1e-3,
        "abs_tol": 1e-3,
    }


def test_humaneval_judges_return_values_only() -> None:
    problems, _ = import_humaneval(DATA / "humaneval_sample.jsonl")
    assert problems
    assert all(p.meta["compare"]["mutation"] is False for p in problems)


def test_the_prompt_states_the_policy() -> None:
    problem = Problem(
        id="two-sum",
        dataset="test",
        title="two sum",
        kind=ProblemKind.FUNCTION,
        slow_source="def two_sum(nums, target):\n    return None\n",
        entry_point="two_sum",
        compare=ComparePolicy(mutation=False, checker="check"),
    )
    text = describe_problem(problem)
    assert "may mutate its arguments or leave them unchanged" in text
    assert "any valid answer is accepted" in text
    strict = describe_problem(Problem(**{**problem.__dict__, "compare": ComparePolicy()}))
    assert "mutate its arguments in the same way" in strict
    assert "any valid answer" not in strict


def test_a_generic_program_record_brings_a_checker_for_approximate_answers(
    tmp_path: Path,
) -> None:
    """Bisection and Newton's method print different digits of the same root."""
    slow = (
        "a = float(input())\nlo, hi = 0.0, max(1.0, a)\n"
        "for _ in range(45):\n    mid = (lo + hi) / 2\n"
        "    lo, hi = (mid, hi) if mid * mid < a else (lo, mid)\nprint(lo)\n"
    )
    newton = "a = float(input())\nx = max(1.0, a)\nfor _ in range(40):\n    x = (x + a / x) / 2\nprint(x)\n"
    checker = (
        "def close(stdin, expected, actual):\n"
        "    return abs(float(actual) - float(expected)) <= 1e-9 * max(1.0, float(expected))\n"
    )
    record = {
        "id": "root",
        "slow_code": slow,
        "fast_code": newton,
        "tests": [{"input": "2\n"}, {"input": "10\n"}],
        "compare": {"mode": "stdout_ws", "checker": "close"},
        "checker": checker,
    }
    problems, errors = import_generic(_jsonl(tmp_path, record), {"mode": "exact"})
    assert not errors
    assert problems[0].meta["compare"] == {"checker": "close", "mode": "exact"}
    problem = load_dataset(write_problems(problems, tmp_path / "roots", "roots")).get("root")
    assert problem.kind is ProblemKind.PROGRAM
    report = quick_check(problem, examples=0, timing=False)
    assert report.failures == []
    exact = quick_check(
        Problem(**{**problem.__dict__, "compare": ComparePolicy("exact")}), 0, timing=False
    )
    assert exact.failures  # the digits differ: only the checker accepts them
