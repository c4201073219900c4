"""The verification cascade: reference solutions pass, wrong candidates are caught with a
shrunk counterexample, static problems stop early, strategy-less problems say so."""

from __future__ import annotations

import re
import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from optbench.core.problem import ComparePolicy, Problem, ProblemKind
from optbench.core.verdict import Stage, VerdictStatus
from optbench.datasets import load_dataset, load_problem
from optbench.verify import Verifier, VerifyConfig, verify, verify_many

FAST = VerifyConfig(max_examples=60, budget_s=60)

FUNCTION_SLOW = '''
def take_multiples(xs, k):
    """Remove the multiples of 3 from xs in place; return them times k."""
    if k < 0:
        raise ValueError("negative k")
    out = []
    for x in xs:
        if x % 3 == 0:
            out.append(x * k)
    xs[:] = [x for x in xs if x % 3 != 0]
    return out
'''

FUNCTION_INPUTS = """
from hypothesis import strategies as st

def strategy():
    return st.tuples(st.lists(st.integers(-50, 50), max_size=20), st.integers(-3, 5))

def workload():
    return (list(range(1000)), 2)

EDGE_CASES = [([], 1), ([4], 2)]
"""

PROGRAM_SLOW = """
n = int(input())
values = list(map(int, input().split())) if n else []
print(" ".join(map(str, sorted(set(values)))))
"""

PROGRAM_INPUTS = """
from hypothesis import strategies as st

@st.composite
def _case(draw):
    values = draw(st.lists(st.integers(-9, 9), max_size=12))
    return f"{len(values)}\\n{' '.join(map(str, values))}\\n"

def strategy():
    return _case()

def workload():
    return "3\\n1 2 3\\n"

EDGE_CASES = ["1\\n5\\n"]
"""


def function_problem() -> Problem:
    return Problem(
        id="take-multiples",
        dataset="test",
        title="take multiples",
        kind=ProblemKind.FUNCTION,
        slow_source=FUNCTION_SLOW,
        entry_point="take_multiples",
        inputs_source=FUNCTION_INPUTS,
        content_hash="test-take-multiples",
    )


def program_problem() -> Problem:
    return Problem(
        id="unique-sorted",
        dataset="test",
        title="unique sorted",
        kind=ProblemKind.PROGRAM,
        slow_source=PROGRAM_SLOW,
        compare=ComparePolicy("stdout_ws"),
        inputs_source=PROGRAM_INPUTS,
        content_hash="test-unique-sorted",
    )


def _reference_params() -> list[object]:
    try:
        problems = load_dataset("optbench-py").problems
    except FileNotFoundError:
        return []
    seen_kinds: set[ProblemKind] = set()
    params = []
    for problem in problems:
        if problem.fast_source is None:
            continue
        marks = [] if problem.kind not in seen_kinds else [pytest.mark.slow]
        seen_kinds.add(problem.kind)
        params.append(pytest.param(problem, id=problem.id, marks=marks))
    return params


@pytest.mark.parametrize("problem", _reference_params())
def test_reference_is_equivalent(problem: Problem) -> None:
    assert problem.fast_source is not None
    verdict = verify(problem, problem.fast_source, VerifyConfig.quick())
    assert verdict.status is VerdictStatus.EQUIVALENT, verdict.for_prompt()
    assert verdict.stage is Stage.DIFFERENTIAL
    assert verdict.examples_tried >= 1
    assert verdict.isolation
    assert verdict.elapsed_s > 0


def test_identity_candidate_is_equivalent() -> None:
    problem = function_problem()
    verdict = verify(problem, FUNCTION_SLOW, FAST)
    assert verdict.ok, verdict.for_prompt()
    assert verdict.strategy_used
    assert verdict.examples_tried == 60 + 2
    assert "60 generated" in verdict.message


WRONG_FUNCTIONS = {
    "value": (
        FUNCTION_SLOW.replace("if x % 3 == 0:", "if x % 3 == 0 and x < 20:"),
        "value",
        r"take_multiples\(\[(21|24|27|30|33|36|39|42|45|48)\], 0\)",
    ),
    "exception": (
        FUNCTION_SLOW.replace('raise ValueError("negative k")', 'raise TypeError("negative k")'),
        "exception",
        r"take_multiples\(\[\], -1\)",
    ),
    "mutation": (
        FUNCTION_SLOW.replace("    xs[:] = [x for x in xs if x % 3 != 0]\n", ""),
        "mutation",
        r"take_multiples\(\[0\], 0\)",
    ),
}


@pytest.mark.parametrize("name", sorted(WRONG_FUNCTIONS))
def test_wrong_function_is_caught_with_a_shrunk_counterexample(name: str) -> None:
    code, kind, shrunk = WRONG_FUNCTIONS[name]
    problem = function_problem()
    verdict = verify(problem, code, FAST if name != "exception" else VerifyConfig(max_examples=100))
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.for_prompt()
    assert verdict.counterexample is not None
    assert verdict.counterexample.kind == kind
    assert re.fullmatch(shrunk, verdict.counterexample.input), verdict.counterexample
    assert verdict.counterexample.expected != verdict.counterexample.actual


def test_edge_case_failure_stops_at_the_examples_stage() -> None:
    code = FUNCTION_SLOW.replace("return out", "return out if xs else None")
    verdict = verify(function_problem(), code, FAST)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.stage is Stage.EXAMPLES
    assert verdict.counterexample is not None
    assert verdict.counterexample.input == "take_multiples([], 1)"
    assert verdict.examples_tried == 1


def test_wrong_program_stdout_is_caught_and_shrunk() -> None:
    code = PROGRAM_SLOW.replace("sorted(set(values))", "sorted(values)")
    verdict = verify(program_problem(), code, FAST)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.for_prompt()
    assert verdict.stage is Stage.DIFFERENTIAL
    assert verdict.counterexample is not None
    assert verdict.counterexample.kind == "stdout"
    assert verdict.counterexample.input == "2\n0 0\n"


def test_wrong_program_exit_status_is_caught() -> None:
    code = PROGRAM_SLOW + "raise SystemExit(len(values) > 3)\n"
    verdict = verify(program_problem(), code, FAST)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.for_prompt()
    assert verdict.counterexample is not None
    assert verdict.counterexample.kind == "exit_status"
    assert verdict.counterexample.input == "4\n0 0 0 0\n"


@pytest.mark.parametrize(
    "code",
    [
        "import sys\nsys.stdin = open(0)\n" + PROGRAM_SLOW,
        "import os\nfor line in os.read(0, 1 << 20).decode().splitlines()[1:]:\n"
        "    print(' '.join(map(str, sorted(set(map(int, line.split()))))))\n",
        "import os, sys\ndata = sys.stdin.buffer.read().split()[1:]\n"
        "os.write(1, (' '.join(map(str, sorted(set(map(int, data))))) + '\\n').encode())\n",
    ],
    ids=["open-0", "os-read-0", "os-write-1"],
)
def test_programs_may_use_file_descriptors_0_and_1(code: str) -> None:
    verdict = verify(program_problem(), code, FAST)
    assert verdict.ok, verdict.for_prompt()


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("def take_multiples(xs, k)\n    return []\n", "syntax error at line 1"),
        ("def take(xs, k):\n    return []\n", "defines no top-level function 'take_multiples'"),
        ("def take_multiples(ys, k):\n    return []\n", "not compatible"),
        ("def take_multiples(xs):\n    return []\n", "not compatible"),
        ("def take_multiples(xs, k, j):\n    return []\n", "without defaults"),
        ("async def take_multiples(xs, k):\n    return []\n", "coroutine"),
    ],
)
def test_static_problems_are_errors_at_the_static_stage(code: str, words: str) -> None:
    verdict = verify(function_problem(), code, FAST)
    assert verdict.status is VerdictStatus.ERROR
    assert verdict.stage is Stage.STATIC
    assert words in verdict.message
    assert verdict.examples_tried == 0


def test_import_error_is_an_error_at_the_static_stage() -> None:
    code = "import no_such_module_xyz\n" + FUNCTION_SLOW
    verdict = verify(function_problem(), code, FAST)
    assert verdict.status is VerdictStatus.ERROR
    assert verdict.stage is Stage.STATIC
    assert "ModuleNotFoundError" in verdict.message
    assert "line 1" in verdict.message


def test_extra_parameter_with_default_and_assigned_entry_point_are_accepted() -> None:
    extra = FUNCTION_SLOW.replace("def take_multiples(xs, k):", "def take_multiples(xs, k, _c=3):")
    assigned = FUNCTION_SLOW.replace("def take_multiples(", "def _impl(") + (
        "\ntake_multiples = _impl\n"
    )
    for code in (extra, assigned):
        verdict = verify(function_problem(), code, VerifyConfig(max_examples=10))
        assert verdict.ok, verdict.for_prompt()


def _strategyless_problem(tmp_path: Path) -> Problem:
    root = tmp_path / "imported"
    folder = root / "echo-sum"
    (folder / "tests").mkdir(parents=True)
    (root / "dataset.toml").write_text('name = "imported"\nversion = "0.1"\n')
    (folder / "problem.toml").write_text(
        'id = "echo-sum"\ntitle = "Sum of a line"\nkind = "program"\n'
    )
    (folder / "slow.py").write_text("print(sum(map(int, input().split())))\n")
    (folder / "tests" / "input.1.txt").write_text("1 2 3\n")
    (folder / "tests" / "output.1.txt").write_text("6\n")
    (folder / "tests" / "input.2.txt").write_text("-5 5 10\n")
    (folder / "tests" / "output.2.txt").write_text("10\n")
    return load_problem(folder, dataset="imported")


def test_problem_without_strategy_is_checked_on_given_tests_only(tmp_path: Path) -> None:
    problem = _strategyless_problem(tmp_path)
    good = "import sys\nprint(sum(int(t) for t in sys.stdin.read().split()))\n"
    verdict = verify(problem, good, FAST)
    assert verdict.ok, verdict.for_prompt()
    assert verdict.strategy_used is False
    assert verdict.stage is Stage.EXAMPLES
    assert verdict.examples_tried == 2
    assert "given test" in verdict.message

    wrong = "print(max(map(int, input().split())))\n"
    verdict = verify(problem, wrong, FAST)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.strategy_used is False
    assert verdict.counterexample is not None
    assert verdict.counterexample.input == "1 2 3\n"
    assert verdict.counterexample.expected.strip() == "6"


def test_given_expected_output_is_checked(tmp_path: Path) -> None:
    problem = _strategyless_problem(tmp_path)
    (Path(problem.path or "") / "tests" / "output.2.txt").write_text("11\n")
    problem = load_problem(Path(problem.path or ""), dataset="imported")
    verdict = verify(problem, problem.slow_source, FAST)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.counterexample is not None
    assert verdict.counterexample.expected.strip() == "11"


def test_verify_many_shares_the_original() -> None:
    problem = function_problem()
    wrong = WRONG_FUNCTIONS["value"][0]
    verdicts = verify_many(problem, [FUNCTION_SLOW, wrong, "nonsense("], FAST)
    assert [v.status for v in verdicts] == [
        VerdictStatus.EQUIVALENT,
        VerdictStatus.NOT_EQUIVALENT,
        VerdictStatus.ERROR,
    ]
    with Verifier(problem, FAST) as verifier:
        verifier.verify(FUNCTION_SLOW)
        starts = verifier.oracle.worker.starts
        verifier.verify(FUNCTION_SLOW)
        assert verifier.oracle.worker.starts == starts


def test_verify_runs_in_a_process_pool() -> None:
    problem = function_problem()
    config = VerifyConfig(max_examples=20)
    codes = [FUNCTION_SLOW, WRONG_FUNCTIONS["mutation"][0]]
    with ProcessPoolExecutor(max_workers=2) as pool:
        verdicts = list(pool.map(verify, [problem] * 2, codes, [config] * 2))
    assert verdicts[0].ok
    assert verdicts[1].status is VerdictStatus.NOT_EQUIVALENT


def test_verdict_round_trips_and_prompt_text() -> None:
    verdict = verify(function_problem(), WRONG_FUNCTIONS["value"][0], FAST)
    again = type(verdict).from_dict(verdict.to_dict())
    assert again == verdict
    text = verdict.for_prompt()
    assert "not_equivalent" in text
    assert "input: take_multiples([" in text


def test_custom_exceptions_compare_by_name() -> None:
    slow = textwrap.dedent(
        """
        class Bad(Exception):
            pass

        def take_multiples(xs, k):
            if k < 0:
                raise Bad(k)
            return [x * k for x in xs if x % 3 == 0]
        """
    )
    problem = Problem(
        id="custom-exc",
        dataset="test",
        title="custom",
        kind=ProblemKind.FUNCTION,
        slow_source=slow,
        entry_point="take_multiples",
        inputs_source=FUNCTION_INPUTS,
        content_hash="test-custom-exc",
    )
    same = slow.replace("return [x * k", "return [k * x")
    assert verify(problem, same, FAST).ok


def test_a_wrong_expected_output_is_named_as_the_given_test() -> None:
    """A given test's expected output, not the original, is what disagrees: say which."""
    from dataclasses import replace

    from optbench.core.problem import ProgramTest

    problem = replace(
        program_problem(),
        tests=(
            ProgramTest("2\n3 1\n", "1 3\n", "input.1"),
            ProgramTest("1\n7\n", "8\n", "input.2"),
        ),
    )
    verdict = verify(problem, PROGRAM_SLOW, FAST)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert "expected output of given test output.2.txt" in verdict.message
