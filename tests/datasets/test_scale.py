"""Generated inputs reach the workload's scale: the bundled strategies, the helper they
share, and the check ``optbench datasets validate`` makes of any strategy."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optbench.cli import cli
from optbench.core import Problem, ProblemKind
from optbench.core.verdict import VerdictStatus
from optbench.datasets import load_dataset, load_problem
from optbench.datasets.strategies import _fingerprint, at_scale, scaled
from optbench.datasets.validate import (
    InputProfile,
    profile_input,
    scale_check,
    shortfalls,
    validate_dataset,
)
from optbench.verify import VerifyConfig, verify

BUNDLED = load_dataset("optbench-py")

# pair-sum-count's strategy before it reached its workload (lists of <= 40 ints in
# -20..20; the workload is 2500 ints in -500..500)
OLD_PAIR_SUM_INPUTS = """\
import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.integers(-20, 20), max_size=40),
        st.integers(-40, 40),
    )


def workload():
    rng = random.Random(1)
    return ([rng.randint(-500, 500) for _ in range(2500)], 17)


EDGE_CASES = [
    ([], 0),
    ([5], 10),
    ([5, 5], 10),
    ([5, 5, 5], 10),
    ([-3, 3, 0, 0], 0),
]
"""

# right for values in -20..20, the only ones the old strategy drew; on the workload it
# returned 308 instead of 3120
FIXED_TABLE_PAIR_SUM = """\
def count_pairs(nums, target):
    counts = [0] * 41
    count = 0
    for x in nums:
        y = target - x
        if -20 <= y <= 20:
            count += counts[y + 20]
        if -20 <= x <= 20:
            counts[x + 20] += 1
    return count
"""


def _old_pair_sum(problem_copy) -> tuple[Path, Path]:
    root, folder = problem_copy("pair-sum-count")
    (folder / "inputs.py").write_text(OLD_PAIR_SUM_INPUTS)
    return root, folder


def test_scale_check_flags_the_old_pair_sum_strategy_and_passes_the_new(problem_copy) -> None:
    _, old = _old_pair_sum(problem_copy)
    check = scale_check(load_problem(old, "scratch"))
    assert check is not None and not check.ok
    assert any(
        w.startswith("size: items at most") and "2500 in the workload" in w for w in check.warnings
    )
    assert any(w.startswith("values: ") and "-500..500" in w for w in check.warnings)
    assert check.draws == 300  # every draw taken: the scale is never reached

    check = scale_check(next(p for p in BUNDLED.problems if p.id == "pair-sum-count"))
    assert check is not None and check.ok, check.warnings
    assert check.drawn.sizes["items"] >= 250
    assert check.drawn.low is not None and check.drawn.low <= -50


def test_validate_reports_scale_warnings_without_failing(problem_copy) -> None:
    root, _ = _old_pair_sum(problem_copy)
    problem_copy("inversion-count")
    results = {
        r.problem: r
        for r in validate_dataset(load_dataset(root), examples=20, timing=False, workers=1)
    }
    old, new = results["pair-sum-count"], results["inversion-count"]
    assert old.ok, old.failure  # the reference is still equivalent
    assert old.scale.startswith("short of the workload")
    assert any(w.startswith("size: items") for w in old.scale_warnings)
    assert new.ok and not new.scale_warnings
    assert new.scale.startswith("reaches the workload")

    output = CliRunner().invoke(
        cli,
        ["datasets", "validate", str(root), "--examples", "20", "--no-timing", "--workers", "1"],
    )
    assert output.exit_code == 0, output.output
    text = " ".join(output.output.split())
    assert (
        "warning: pair-sum-count: generated inputs short of the workload: size: items at most"
        in text
    )
    assert "warning: inversion-count" not in text
    assert (
        "2 passed, 0 failed; 1 with generated inputs far smaller or narrower than the workload"
        in text
    )


@pytest.mark.parametrize("problem", BUNDLED.problems, ids=lambda p: p.id)
def test_every_bundled_strategy_reaches_its_workload(problem) -> None:
    check = scale_check(problem, draws=300, seconds=20)
    assert check is not None
    assert check.ok, f"{check.warnings}; drawn {check.drawn.describe()}"


def test_fixed_size_table_candidate_is_not_equivalent() -> None:
    problem = next(p for p in BUNDLED.problems if p.id == "pair-sum-count")
    verdict = verify(problem, FIXED_TABLE_PAIR_SUM, VerifyConfig(max_examples=100))
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.for_prompt()
    assert verdict.counterexample is not None


def test_profile_of_function_arguments() -> None:
    profile = profile_input(
        ProblemKind.FUNCTION, ([[1, 2.5], (True, None)], {"ab": -7}, "xyz", float("nan"), 10**400)
    )
    # lists, tuples and dicts count their elements at any depth; strings their characters
    assert profile.sizes == {"items": 2 + 2 + 2 + 1, "chars": 2 + 3}
    assert (profile.low, profile.high) == (-7, 1e300)  # bools and nan left out, huge ints capped
    assert profile.alphabet == {"a", "b", "x", "y", "z"}


def test_profile_of_program_stdin() -> None:
    profile = profile_input(ProblemKind.PROGRAM, "3 x\n-1.5 7\n2e3 last")
    assert profile.sizes == {"lines": 3, "tokens": 6, "chars": 19}
    assert (profile.low, profile.high) == (-1.5, 2000.0)


def _profile(size: int, low: float, high: float, chars: str = "") -> InputProfile:
    return InputProfile({"items": size}, low, high, set(chars))


def test_shortfall_thresholds() -> None:
    workload = _profile(1000, -500, 500, "abcdefghij")
    assert shortfalls(workload, _profile(100, -50, 50, "abcde")) == []
    size, values, characters = shortfalls(workload, _profile(99, -49, 50, "abcd"))
    assert size == "size: items at most 99 drawn, 1000 in the workload"
    assert values == "values: -49..50 drawn, -500..500 in the workload (9.9% of its span)"
    assert characters == "characters: 4 of the workload's 10 drawn (never 'efghij')"
    # the span includes 0: a workload of one number needs numbers near it drawn
    assert shortfalls(_profile(0, 28, 28), _profile(0, -5, 18)) == []
    assert shortfalls(_profile(0, 10**5, 10**5), _profile(0, -10, 2000))[0].startswith("values")
    assert shortfalls(_profile(0, 10**5, 10**5), InputProfile()) == [
        "values: no numbers drawn, 100000..100000 in the workload (0.0% of its span)"
    ]


def _problem_with(tmp_path: Path, inputs: str) -> Problem:
    folder = tmp_path / "total"
    folder.mkdir()
    (folder / "problem.toml").write_text(
        'id = "total"\ntitle = "Total"\nkind = "function"\nentry_point = "total"\n'
    )
    (folder / "slow.py").write_text("def total(xs):\n    return sum(xs)\n")
    (folder / "inputs.py").write_text(inputs)
    return load_problem(folder, "scratch")


def test_scale_check_is_bounded_in_time(tmp_path: Path) -> None:
    problem = _problem_with(
        tmp_path,
        "import time\n"
        "from hypothesis import strategies as st\n\n\n"
        "def strategy():\n"
        "    return st.tuples(st.lists(st.integers(0, 9), max_size=3)).map(\n"
        "        lambda v: time.sleep(0.05) or v\n"
        "    )\n\n\n"
        "def workload():\n"
        "    return (list(range(1000)),)\n",
    )
    started = time.monotonic()
    check = scale_check(problem, draws=1000, seconds=0.5)
    assert time.monotonic() - started < 5
    assert check is not None and not check.ok and check.draws < 50


def test_scale_check_checks_the_shape_of_inputs_built_at_scale(tmp_path: Path) -> None:
    problem = _problem_with(
        tmp_path,
        "from hypothesis import strategies as st\n\n"
        "from optbench.datasets.strategies import at_scale\n\n\n"
        "def strategy():\n"
        "    # the builder forgets the tuple of arguments\n"
        "    small = st.tuples(st.lists(st.integers(0, 9), max_size=3))\n"
        "    return at_scale(small, lambda rng, scale: list(range(100)), chance=1.0)\n\n\n"
        "def workload():\n"
        "    return (list(range(1000)),)\n",
    )
    with pytest.raises(ValueError, match="not a tuple of positional arguments"):
        scale_check(problem)


def test_at_scale_mixes_small_inputs_with_inputs_built_at_scale() -> None:
    sizes: list[int] = []

    def large(rng: object, scale: float) -> list[int]:
        assert 0 < scale <= 1
        return [7] * scaled(scale, 5000, 1)

    @settings(
        max_examples=200, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(at_scale(st.lists(st.integers(0, 9), max_size=10), large))
    def draw(value: list[int]) -> None:
        sizes.append(len(value))

    draw()
    built = [n for n in sizes if n > 10]
    assert 2 <= len(built) <= len(sizes) // 4
    assert max(built) >= 500  # a tenth of the full size or more


def test_at_scale_decides_the_same_way_in_every_process() -> None:
    # set and dict order follows string hashing, which differs between processes
    assert _fingerprint({"b", "a", "c"}) == _fingerprint({"c", "a", "b"}) == "{'a','b','c'}"
    assert _fingerprint(({"y": 1, "x": [1, (2,)]},)) == "({'x':[1,(2,)],'y':1},)"
    with pytest.raises(ValueError, match="chance"):
        at_scale(st.none(), lambda rng, scale: None, chance=1.5)
