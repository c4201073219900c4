from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from optbench.cli import cli
from optbench.core import ProblemKind
from optbench.datasets import load_dataset
from optbench.datasets.importers import import_generic, import_pie, load_imported, write_problems

SLOW = "n = int(input())\nprint(sum(i for i in range(n + 1)))\n"
FAST = "n = int(input())\nprint(n * (n + 1) // 2)\n"


def _pie_fixture(tmp_path: Path) -> tuple[Path, Path]:
    jsonl = tmp_path / "pie.jsonl"
    records = [
        {"problem_id": "p00001", "input": SLOW, "target": FAST, "submission_id_v0": "s1"},
        {"problem_id": "p00001", "input": SLOW.replace("i for i", "j for j"), "target": FAST},
        {"problem_id": "p00002", "input": SLOW, "target": FAST},
        {"problem_id": "p00003", "target": FAST},
    ]
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    tests = tmp_path / "tests"
    for pid, cases in {"p00001": [("3\n", "6\n"), ("10\n", "55\n")]}.items():
        (tests / pid).mkdir(parents=True)
        for index, (stdin, stdout) in enumerate(cases):
            (tests / pid / f"input.{index}.txt").write_text(stdin)
            (tests / pid / f"output.{index}.txt").write_text(stdout)
    return jsonl, tests


def test_pie_import_makes_program_problems_with_tests(tmp_path: Path) -> None:
    jsonl, tests = _pie_fixture(tmp_path)
    problems, errors = import_pie(jsonl, tests)
    assert [p.id for p in problems] == ["p00001-0", "p00001-1"]
    messages = " | ".join(str(e) for e in errors)
    assert "no test cases for p00002" in messages
    assert "line 4" in messages and "input" in messages
    dataset = load_imported(problems, "pie-mini")
    problem = dataset.get("p00001-0")
    assert problem.kind is ProblemKind.PROGRAM
    assert [t.expected_stdout for t in problem.tests] == ["6\n", "55\n"]
    assert not problem.has_strategy
    assert any("given tests" in note for note in problem.notes)
    assert problem.workload() == "10\n"


def test_generic_import_function_and_program(tmp_path: Path) -> None:
    jsonl = tmp_path / "generic.jsonl"
    records = [
        {
            "id": "Sum List",
            "slow_code": "def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n",
            "fast_code": "def total(xs):\n    return sum(xs)\n",
            "entry_point": "total",
            "tests": [{"args": [[1, 2, 3]]}, {"args": [[]]}],
        },
        {"slow_code": SLOW, "fast_code": FAST, "tests": [{"input": "4\n", "output": "10\n"}]},
        {"slow_code": SLOW, "tests": []},
    ]
    jsonl.write_text("\n".join(json.dumps(r) for r in records))
    problems, errors = import_generic(jsonl)
    assert len(problems) == 2 and len(errors) == 1
    assert errors[0].field == "tests"
    out = write_problems(problems, tmp_path / "generic-set", "generic-set")
    dataset = load_dataset(out)
    assert dataset.skipped == []
    function = dataset.get("sum-list")
    assert function.kind is ProblemKind.FUNCTION and function.entry_point == "total"
    assert function.edge_cases() == ((([1, 2, 3]),), ([],))
    assert not function.has_strategy
    program = dataset.get("problem-2")
    assert program.tests[0].expected_stdout == "10\n"


def test_import_command_writes_a_loadable_dataset(tmp_path: Path) -> None:
    jsonl, tests = _pie_fixture(tmp_path)
    out = tmp_path / "pie-set"
    result = CliRunner().invoke(
        cli, ["datasets", "import", "pie", str(jsonl), "--tests", str(tests), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "imported 2 problem(s)" in result.output
    assert len(load_dataset(out).problems) == 2


def test_malformed_jsonl_line_is_one_error_and_the_rest_import(tmp_path: Path) -> None:
    jsonl = tmp_path / "bad.jsonl"
    good = {"slow_code": SLOW, "tests": [{"input": "3\n"}]}
    jsonl.write_text(json.dumps(good) + "\nnot json\n[1, 2]\n")
    problems, errors = import_generic(jsonl)
    assert len(problems) == 1
    assert "line 2" in str(errors[0]) and "bad.jsonl" in str(errors[0])
    assert "line 3" in str(errors[1]) and "not a JSON object" in str(errors[1])
