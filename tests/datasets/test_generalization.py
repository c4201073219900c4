"""Regressions found by writing new problems the way a researcher would (outside the
bundled dataset): programs reading stdin through ``open(0)``, generic JSONL records with
a comparison policy or keyword arguments, PIE provenance, strategies drawing the wrong
shape, originals that disagree with their given tests."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from optbench.cli import cli
from optbench.core import ProblemKind
from optbench.datasets import load_dataset, load_problem
from optbench.datasets.importers import import_generic, import_pie, write_problems
from optbench.datasets.quickcheck import main as quickcheck_main
from optbench.datasets.quickcheck import quick_check
from optbench.datasets.validate import validate_dataset


def _dataset(root: Path, name: str = "fresh") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "dataset.toml").write_text(f'name = "{name}"\nversion = "0.1"\n')
    return root


def _problem(root: Path, pid: str, toml: str, files: dict[str, str]) -> Path:
    folder = root / pid
    folder.mkdir()
    (folder / "problem.toml").write_text(f'id = "{pid}"\n' + textwrap.dedent(toml))
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))
    return folder


PROGRAM_INPUTS = """
    from hypothesis import strategies as st


    def strategy():
        words = st.lists(st.sampled_from(["straße", "日本", "x", "émile"]), max_size=4)
        return st.lists(words.map(" ".join), max_size=4).map(lambda ls: "".join(l + "\\n" for l in ls))


    def workload():
        return "straße x\\n" * 2000


    EDGE_CASES = ["", "x\\n", "日本 émile\\n"]
"""


def _open0_program(root: Path) -> Path:
    return _problem(
        root,
        "upper-lines",
        'title = "Upper-case lines"\nkind = "program"\n[compare]\nmode = "exact"\n',
        {
            "slow.py": """
                out = ""
                while True:
                    try:
                        line = input()
                    except EOFError:
                        break
                    out = out + line.upper() + "\\n"
                print(out, end="")
            """,
            # the idiom of many competitive-programming solutions: stdin through fd 0
            "fast.py": """
                import os
                data = open(0, encoding="utf-8").read()
                os.write(1, data.upper().encode())
            """,
            "inputs.py": PROGRAM_INPUTS,
        },
    )


def test_quickcheck_runs_programs_reading_fd_0(tmp_path: Path) -> None:
    folder = _open0_program(_dataset(tmp_path / "fresh"))
    problem = load_problem(folder, "fresh")
    report = quick_check(problem, examples=20, timing=True)
    # before: fast.py read the test process's own stdin and every input "differed"
    assert not [f for f in report.failures if "differs" in f], report.failures
    assert report.examples == 20
    assert report.slow_s > 0 and report.fast_s > 0
    wrong = "data = open(0).read()\nprint(data.lower(), end='')\n"
    report = quick_check(problem, examples=20, candidate=wrong, timing=False)
    assert any("stdout differs" in f for f in report.failures), report.failures


def test_quickcheck_reports_a_crashing_workload_and_bad_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _dataset(tmp_path / "fresh")
    folder = _problem(
        root,
        "first-item",
        'title = "First item"\nkind = "function"\nentry_point = "first"\n',
        {
            "slow.py": "def first(xs):\n    return [x for x in xs][0]\n",
            "fast.py": "def first(xs):\n    return xs[0]\n",
            "inputs.py": """
                from hypothesis import strategies as st


                def strategy():
                    return st.tuples(st.lists(st.integers(), min_size=1))


                def workload():
                    return ([],)
            """,
        },
    )
    status = quickcheck_main([str(folder), str(root / "missing")])
    out = capsys.readouterr().out
    assert status == 1
    assert "workload: slow version raises IndexError" in out
    assert "missing/problem.toml: missing file" in out


def test_generic_import_compare_policy_and_kwargs(tmp_path: Path) -> None:
    jsonl = tmp_path / "generic.jsonl"
    records = [
        {
            "id": "mean",
            "slow_code": "def mean(xs):\n    s = 0.0\n    for x in xs:\n        s += x\n    return s / len(xs)\n",
            "fast_code": "import math\n\ndef mean(xs):\n    return math.fsum(xs) / len(xs)\n",
            "entry_point": "mean",
            "compare": {"mode": "float", "rel_tol": 1e-6},
            "tests": [{"args": [[0.1, 0.2, 0.3]]}],
        },
        {
            "id": "scale",
            "slow_code": "def scale(xs, factor=2, offset=0):\n    return [x * factor + offset for x in xs]\n",
            "entry_point": "scale",
            "tests": [
                {"args": [[1]], "kwargs": {"factor": 3}},
                {"kwargs": {"xs": [], "factor": 1}},
            ],
        },
        {
            "id": "c",
            "slow_code": "def f(x):\n    return x\n",
            "entry_point": "f",
            "compare": "fuzzy",
            "tests": [{"args": [1]}],
        },
        {
            "id": "k",
            "slow_code": "def f(x, y=1, z=2):\n    return x\n",
            "entry_point": "f",
            "tests": [{"args": [1], "kwargs": {"z": 3}}],
        },
        {
            "id": "e",
            "slow_code": "def g(x):\n    return x\n",
            "entry_point": "f",
            "tests": [{"args": [1]}],
        },
    ]
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    problems, errors = import_generic(jsonl)
    assert [p.id for p in problems] == ["mean", "scale"]
    messages = [str(e) for e in errors]
    assert "line 3" in messages[0] and "'compare'" in messages[0] and "fuzzy" in messages[0]
    assert "line 4" in messages[1] and "y before a keyword argument" in messages[1]
    assert "line 5" in messages[2] and "defines no top-level function 'f'" in messages[2]
    dataset = load_dataset(write_problems(problems, tmp_path / "generic", "generic"))
    assert dataset.skipped == []
    mean = dataset.get("mean")
    assert mean.compare.mode == "float" and mean.compare.rel_tol == 1e-6
    # before: kwargs were dropped silently and scale([1]) ran with factor=2
    assert dataset.get("scale").edge_cases() == (([1], 3), ([], 1))


def test_pie_import_keeps_provenance_and_names_the_missing_folder(tmp_path: Path) -> None:
    jsonl = tmp_path / "pie.jsonl"
    record = {"problem_id": "p1", "input": "print(1)\n", "target": "print(1)\n"}
    provenance = {"submission_id_v0": "s10", "submission_id_v1": "s11", "cpu_time_v0": 900}
    jsonl.write_text(
        json.dumps({**record, **provenance}) + "\n" + json.dumps({**record, "problem_id": "p2"})
    )
    tests = tmp_path / "tests"
    (tests / "p1").mkdir(parents=True)
    (tests / "p1" / "input.0.txt").write_text("\n")
    problems, errors = import_pie(jsonl, tests)
    assert [p.id for p in problems] == ["p1-0"]
    assert any(
        "submission_id_v0=s10" in n and "cpu_time_v0=900" in n for n in problems[0].meta["notes"]
    )
    assert str(tests / "p2") in str(errors[0])
    dataset = load_dataset(write_problems(problems, tmp_path / "pie-set", "pie-set"))
    assert any("s11" in n for n in dataset.get("p1-0").notes)


@pytest.mark.slow
def test_validate_flags_wrong_strategy_shape_and_bad_given_tests(tmp_path: Path) -> None:
    root = _dataset(tmp_path / "fresh")
    _problem(
        root,
        "list-total",
        'title = "Total"\nkind = "function"\nentry_point = "total"\n',
        {
            "slow.py": "def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n",
            "fast.py": "def total(xs):\n    return sum(xs)\n",
            # draws the list itself, not the tuple of arguments: it would be spread
            # into total(*xs), and everything would "agree" by raising TypeError
            "inputs.py": """
                from hypothesis import strategies as st


                def strategy():
                    return st.lists(st.integers(), min_size=2)


                def workload():
                    return (list(range(1000)),)
            """,
        },
    )
    folder = _problem(
        root,
        "echo",
        'title = "Echo"\nkind = "program"\n',
        {"slow.py": "print(input())\n", "fast.py": "print(input())\n"},
    )
    (folder / "tests").mkdir()
    (folder / "tests" / "input.0.txt").write_text("hello\n")
    (folder / "tests" / "output.0.txt").write_text("goodbye\n")
    _problem(
        root,
        "no-reference",
        'title = "No reference"\nkind = "program"\n',
        {"slow.py": "print(len(input()))\n", "inputs.py": PROGRAM_INPUTS},
    )
    dataset = load_dataset(root)
    assert dataset.get("echo").kind is ProblemKind.PROGRAM
    results = {
        r.problem: r for r in validate_dataset(dataset, examples=20, timing=False, workers=1)
    }
    assert "draws list, not a tuple of positional arguments" in results["list-total"].failure
    assert "disagrees with a given test's expected output" in results["echo"].failure
    assert results["no-reference"].ok, results["no-reference"].failure
    assert "checked against itself" in results["no-reference"].equivalence


@pytest.mark.slow
def test_validate_cli_reports_program_reading_fd_0_as_equivalent(tmp_path: Path) -> None:
    root = _dataset(tmp_path / "fresh")
    _open0_program(root)
    result = CliRunner().invoke(
        cli,
        ["datasets", "validate", str(root), "--examples", "20", "--no-timing", "--workers", "1"],
    )
    assert result.exit_code == 0, result.output
    assert "1 passed, 0 failed" in result.output


def test_import_command_refuses_to_mix_with_an_earlier_import(tmp_path: Path) -> None:
    jsonl = tmp_path / "generic.jsonl"
    record = {"id": "one", "slow_code": "print(input())\n", "tests": [{"input": "a\n"}]}
    jsonl.write_text(json.dumps(record) + "\n")
    out = tmp_path / "set"
    runner = CliRunner()
    args = ["datasets", "import", "generic", str(jsonl), "--out", str(out)]
    assert runner.invoke(cli, args).exit_code == 0
    again = runner.invoke(cli, args)
    assert again.exit_code != 0 and "not empty" in again.output
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0
    misuse = runner.invoke(cli, [*args, "--force", "--tests", str(tmp_path)])
    assert misuse.exit_code != 0 and "--tests is for PIE" in misuse.output
