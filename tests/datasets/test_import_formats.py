"""The importer registry and the field's formats: HumanEval/HumanEval+, ENAMEL-style,
generic JSONL's typed tests and warnings, PIE's compare policy, on small sample files
under ``tests/datasets/data``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from optbench.cli import cli
from optbench.core import ProblemKind
from optbench.datasets import load_dataset
from optbench.datasets.importers import (
    IMPORTERS,
    ImportOptions,
    get_importer,
    import_enamel,
    import_generic,
    import_humaneval,
    import_pie,
    load_imported,
    parse_compare_option,
)
from optbench.datasets.synthesis.provenance import checked_by
from optbench.datasets.synthesis.sampling import hypothesis_samples

DATA = Path(__file__).parent / "data"
HUMANEVAL = DATA / "humaneval_sample.jsonl"
ENAMEL = DATA / "enamel_sample.jsonl"


def test_every_format_is_registered_and_listed_by_the_import_help() -> None:
    assert {"pie", "generic", "humaneval", "enamel"} <= set(IMPORTERS)
    shown = CliRunner().invoke(cli, ["datasets", "import", "--help"])
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.output.split())
    for name, importer in IMPORTERS.items():
        assert f"{name}:" in text
        assert " ".join(importer.summary.split())[:40] in text
    with pytest.raises(KeyError, match="known: enamel, generic, humaneval, pie"):
        get_importer("mbpp")


def test_humaneval_records_import_with_per_record_errors() -> None:
    problems, errors = import_humaneval(HUMANEVAL)
    assert [p.id for p in problems] == ["sample-0", "sample-1"]
    messages = [str(e) for e in errors]
    assert len(messages) == 4
    assert "line 3" in messages[0] and "canonical_solution" in messages[0]
    assert "line 4" in messages[1] and "not JSON" in messages[1]
    assert "line 5" in messages[2] and "no check(candidate)" in messages[2]
    assert "line 6" in messages[3] and "defines no top-level function 'f'" in messages[3]
    assert problems[1].warnings and "'difficulty'" in problems[1].warnings[0]

    dataset = load_imported(problems, "humaneval-sample")
    first = dataset.get("sample-0")
    assert first.kind is ProblemKind.FUNCTION and first.entry_point == "odd_square_sum"
    assert first.slow_source.startswith("from typing import List")
    assert "total += v * v" in first.slow_source and first.fast_source is None
    # literal calls of check(); list(range(5)) is not a literal and is left out
    assert first.edge_cases() == (([1, 2, 3],), ([],), ([-3, 4, 5],), ([2, 4],))
    assert any("4 with an expected value, 1 call(s) not literal" in n for n in first.notes)
    assert checked_by(first).startswith("given tests only (4)")  # before synthesis

    plus = dataset.get("sample-1")
    assert ([0.5, 0.25], 1) in plus.edge_cases()  # base_input
    assert ([3.0, 1.0, 4.0, 1.0, 5.0, 9.0], 2) in plus.edge_cases()  # plus_input
    assert plus.compare.mode == "float" and plus.compare.abs_tol == 1e-6


def test_enamel_problem_draws_from_its_generator_and_times_the_largest_level() -> None:
    problems, errors = import_enamel(ENAMEL)
    assert [p.id for p in problems] == ["sample-e0"]
    assert "line 2" in str(errors[0]) and "'levels'" in str(errors[0])
    assert "line 3" in str(errors[1]) and "generate(size, rng)" in str(errors[1])
    dataset = load_imported(problems, "enamel-sample")
    assert dataset.skipped == []
    problem = dataset.get("sample-e0")
    assert problem.fast_source is not None and "Counter" in problem.fast_source
    assert problem.edge_cases() == (([1, 2, 3, 4], 5), ([], 3), ([5, 5, 5], 5))
    values, k = problem.workload(seed=1)
    assert len(values) == 1500 and 1 <= k <= 50
    assert problem.workload(seed=2) != problem.workload(seed=1)
    drawn = hypothesis_samples(problem.inputs().strategy(), 10)
    assert drawn and all(len(args) == 2 and len(args[0]) < 1500 for args in drawn)


def test_generic_import_warns_on_unknown_keys_and_keeps_python_literal_types(
    tmp_path: Path,
) -> None:
    jsonl = tmp_path / "generic.jsonl"
    records = [
        {
            "id": "first",
            "slow_code": "def first(pairs, seen):\n    return sorted(pairs)[0] in seen\n",
            "entry_point": "first",
            "tests": [
                {"args": [{"py": "[(2, 'b'), (1, 'a')]"}, {"py": "{(1, 'a')}"}]},
                {"args": {"py": "([(3, 'c')], set())"}, "expected": True},
            ],
            "fast": "def first(pairs, seen):\n    return min(pairs) in seen\n",
        },
        {"slow_code": "print(input())\n", "tests": [{"input": "1\n", "expected_output": "1\n"}]},
        {
            "id": "bad",
            "slow_code": "def f(x):\n    return x\n",
            "entry_point": "f",
            "tests": [{"args": [{"py": "open('x')"}]}],
        },
    ]
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    problems, errors = import_generic(jsonl)
    assert [p.id for p in problems] == ["first", "problem-2"]
    assert "line 3" in str(errors[0]) and "not a Python literal" in str(errors[0])
    assert any("'fast'" in w for w in problems[0].warnings)
    assert any("tests[1]" in w and "'expected'" in w for w in problems[0].warnings)
    assert any("'expected_output'" in w for w in problems[1].warnings)
    dataset = load_imported(problems, "typed")
    assert dataset.get("first").edge_cases() == (
        ([(2, "b"), (1, "a")], {(1, "a")}),
        ([(3, "c")], set()),
    )


def test_pie_compares_decimal_answers_within_1e6_and_compare_overrides(tmp_path: Path) -> None:
    jsonl = tmp_path / "pie.jsonl"
    lines = [
        {"problem_id": "p1", "input": "print(1 / 3)\n", "target": "print('%.12f' % (1 / 3))\n"},
        {"problem_id": "p2", "input": "print(7)\n", "target": "print(7)\n"},
    ]
    jsonl.write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    tests = tmp_path / "tests"
    for pid, out in (("p1", "0.333333333333\n"), ("p2", "7\n")):
        (tests / pid).mkdir(parents=True)
        (tests / pid / "input.0.txt").write_text("\n")
        (tests / pid / "output.0.txt").write_text(out)
    problems, _ = import_pie(jsonl, tests)
    assert problems[0].meta["compare"] == {"mode": "float", "rel_tol": 1e-6, "abs_tol": 1e-6}
    assert problems[1].meta["compare"] == {"mode": "stdout_ws"}
    override = parse_compare_option("float:1e-3")
    problems, _ = get_importer("pie").load(jsonl, ImportOptions(tests, override))
    assert all(
        p.meta["compare"] == {"mode": "float", "rel_tol": 1e-3, "abs_tol": 1e-3} for p in problems
    )
    with pytest.raises(ValueError, match="only applies to mode float"):
        parse_compare_option("exact:1e-3")


def test_import_command_lists_why_records_were_skipped_and_warns(tmp_path: Path) -> None:
    out = tmp_path / "he"
    result = CliRunner().invoke(
        cli,
        [
            "datasets",
            "import",
            "humaneval",
            str(HUMANEVAL),
            "--out",
            str(out),
            "--no-synthesis",
            "--compare",
            "float:1e-6",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("skipped: ") == 4
    assert "no check(candidate)" in result.output
    assert "warning" in result.output and "'difficulty'" in result.output
    assert "imported 2 problem(s)" in result.output and "(4 skipped)" in result.output
    assert load_dataset(out).get("sample-0").compare.rel_tol == 1e-6

    bad = CliRunner().invoke(
        cli,
        [
            "datasets",
            "import",
            "humaneval",
            str(HUMANEVAL),
            "--out",
            str(tmp_path / "x"),
            "--compare",
            "fuzzy",
        ],
    )
    assert bad.exit_code == 2 and "unknown compare mode 'fuzzy'" in bad.output
    no_tests = CliRunner().invoke(
        cli, ["datasets", "import", "pie", str(HUMANEVAL), "--out", str(tmp_path / "y")]
    )
    assert no_tests.exit_code == 2 and "needs --tests" in no_tests.output


def test_import_command_lists_problems_that_fail_to_load(tmp_path: Path) -> None:
    jsonl = tmp_path / "generic.jsonl"
    record = {
        "id": "renamed",
        "slow_code": "def f(xs):\n    return len(xs)\n",
        "fast_code": "def f(items):\n    return len(items)\n",
        "entry_point": "f",
        "tests": [{"args": [[1]]}],
    }
    jsonl.write_text(
        json.dumps(record)
        + "\n"
        + json.dumps(
            {**record, "id": "ok", "fast_code": "def f(xs, start=0):\n    return len(xs) + start\n"}
        )
        + "\n"
    )
    out = tmp_path / "g"
    result = CliRunner().invoke(
        cli, ["datasets", "import", "generic", str(jsonl), "--out", str(out), "--no-synthesis"]
    )
    assert result.exit_code == 0, result.output
    assert "skipped on loading" in result.output and "differs from slow.py" in result.output
    # a fast version that only adds a defaulted parameter is a valid one
    assert "imported 1 problem(s)" in result.output and "(1 skipped)" in result.output
    assert load_dataset(out).get("ok").fast_source is not None


def test_validate_stops_a_strategy_that_never_returns_and_names_an_original_failure(
    tmp_path: Path,
) -> None:
    from types import SimpleNamespace

    from optbench.datasets.validate import _validate_one, failure_label

    jsonl = tmp_path / "generic.jsonl"
    record = {
        "id": "stuck",
        "slow_code": "def f(x):\n    return x\n",
        "entry_point": "f",
        "tests": [{"args": [1]}],
    }
    jsonl.write_text(json.dumps(record) + "\n")
    problems, _ = import_generic(jsonl)
    problems[0].inputs = (
        "from hypothesis import strategies as st\n\n"
        "EDGE_CASES = [(1,)]\n\n\n"
        "def _forever(_):\n    while True:\n        pass\n\n\n"
        "def strategy():\n    return st.integers().map(_forever).map(lambda x: (x,))\n\n\n"
        "def workload():\n    return (1,)\n"
    )
    problem = load_imported(problems, "stuck").get("stuck")
    result = _validate_one(problem, 10, draw_seconds=1.0)
    assert not result.ok and "drawing inputs took longer than 1 s" in result.failure

    failed_original = SimpleNamespace(
        status=SimpleNamespace(value="error"),
        message="the original failed on input (5,): timed out (after 60 s)",
    )
    assert failure_label(failed_original).startswith("the original failed on a generated input")
    differs = SimpleNamespace(status=SimpleNamespace(value="not_equivalent"), message="")
    assert failure_label(differs) == "reference not equivalent"


@pytest.mark.slow
def test_humaneval_contract_judges_synthesized_inputs_and_stays_out_of_the_original() -> None:
    from optbench.datasets.importers import synthesize_inputs

    problems, _ = import_humaneval(HUMANEVAL)
    plus = next(p for p in problems if p.id == "sample-1")
    assert "k >= 1" in (plus.judge or "") and "k >= 1" not in plus.slow
    synthesize_inputs([plus], workers=1)
    inputs = plus.inputs or ""
    assert "Synthesized by optbench" in inputs
    # the widened range (k from 0) loses inputs to the contract; the given one (1..2) is kept
    assert "k = d.int(1, 2)" in inputs
    assert any("discarded" in n and "AssertionError" in n for n in plus.meta["notes"])
