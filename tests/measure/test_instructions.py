"""The instructions profile: counts under valgrind's cachegrind (slow ones: ~10-30 s each)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from optbench.core import Problem
from optbench.core.verdict import VerdictStatus
from optbench.datasets import resolve_problem
from optbench.measure import (
    PROFILES,
    BaselineResult,
    CandidateMeasurement,
    MeasurementError,
    measure_baseline,
    measure_candidate,
    measure_candidates,
    runs,
)
from optbench.measure import instructions as ins
from optbench.sandbox import Sandbox

REPO = Path(__file__).resolve().parents[2]
needs_valgrind = pytest.mark.skipif(
    shutil.which("valgrind") is None, reason="valgrind not installed (scripts/setup.sh)"
)


# -- without valgrind ------------------------------------------------------------------


def test_identical_counts_are_not_significant() -> None:
    m = ins.instruction_ratio(1_734_527_970, 1_734_525_813)
    assert m.metric == "instructions"
    assert m.baseline.unit == m.candidate.unit == "instr"
    assert m.baseline.values == [1_734_527_970] and m.candidate.values == [1_734_525_813]
    assert m.ci_low < 1.0 < m.ci_high
    assert not m.significant
    assert abs(m.ratio - 1.0) < 1e-5


def test_the_interval_is_the_spread_bound_of_each_side() -> None:
    b, c = 2_000_000_000, 1_000_000_000
    m = ins.instruction_ratio(b, c)
    assert m.ratio == 2.0
    assert m.ci_low == pytest.approx((b - ins.spread(b)) / (c + ins.spread(c)))
    assert m.ci_high == pytest.approx((b + ins.spread(b)) / (c - ins.spread(c)))
    assert m.significant
    # a difference inside the spread is not significant, one outside it is
    inside = int(b * (1 + ins.SPREAD_REL))
    assert not ins.instruction_ratio(inside, b).significant
    outside = int(b * (1 + 4 * ins.SPREAD_REL) + 4 * ins.SPREAD_ABS)
    assert ins.instruction_ratio(outside, b).significant


def test_code_that_does_almost_nothing_gets_a_wide_interval() -> None:
    m = ins.instruction_ratio(5_000_000, 1_000)
    assert m.ci_low < m.ratio < m.ci_high
    assert m.ci_high / m.ci_low > 10
    assert m.significant  # 5 M instructions against next to nothing
    assert ins.instruction_ratio(10_000, -3_000).ratio == 10_000  # start-up noise below 0


def test_the_profile_is_offered_and_allows_the_slowdown() -> None:
    from optbench.run.config import PROFILE_NAMES

    profile = PROFILES["instructions"]
    assert "instructions" in PROFILE_NAMES
    assert profile.description and profile.memory_runs >= 1
    # a count may take 30-50x the native time, plus start-up under valgrind
    assert ins._limit(0.5) >= 50 * 0.5 + 30
    assert ins.count_limits(ins._limit(0.5)).cpu_s >= ins._limit(0.5)


def test_the_stubs_do_nothing_but_keep_or_empty_the_arguments() -> None:
    function = resolve_problem("optbench-py/pair-sum-count")
    name = function.entry_point or ""
    for stub, after in ((ins.KEEP, [1, 2]), (ins.CLEAR, [])):
        namespace: dict[str, object] = {}
        exec(ins.startup_code(function, stub), namespace)
        nums = [1, 2]
        assert namespace[name](nums, 3) is None  # type: ignore[operator]
        assert nums == after
    program = resolve_problem("optbench-py/grid-open-regions")
    assert program.kind.value == "program" and ins.startup_code(program) == ""


@pytest.mark.parametrize(
    ("problem_id", "stub"),
    [
        ("pair-sum-count", ins.KEEP),  # arguments left as they came
        ("running-average-inplace", ins.KEEP),  # changed in place, as many values
        ("dedupe-keep-order", ins.CLEAR),  # fewer values after the call
        ("grid-open-regions", ins.CLEAR),  # a program: an empty module
    ],
)
def test_the_stub_follows_what_the_original_does_to_its_arguments(
    problem_id: str, stub: str
) -> None:
    problem = resolve_problem(f"optbench-py/{problem_id}")
    workload = problem.workload(None)
    with Sandbox() as sandbox:
        runs.write_job(sandbox, problem, problem.slow_source, workload)
        probe = runs.run_probe(sandbox, 0, timeout=60, cpu=None, side="original")
    assert ins.choose_stub(problem, workload, probe.outcome) == stub
    assert ins.choose_stub(problem, workload, None) == ins.CLEAR  # outcome too large to send


def test_missing_valgrind_is_one_clear_line(tmp_path: Path) -> None:
    reference = REPO / "datasets/optbench-py/pair-sum-count/fast.py"
    result = subprocess.run(
        [sys.executable, "-m", "optbench.cli", "measure", "optbench-py/pair-sum-count",
         str(reference), "--profile", "instructions"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={"PATH": str(tmp_path), "HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "needs valgrind, which is not installed" in lines[0]


# -- counted under valgrind ------------------------------------------------------------


def _identity(problem: Problem) -> tuple[BaselineResult, CandidateMeasurement]:
    baseline = measure_baseline(problem, "instructions")
    return baseline, measure_candidate(problem, problem.slow_source, "instructions", baseline)


@pytest.mark.parametrize(
    "problem_id",
    ["html-escape", "rank-in-place", "grid-open-regions"],  # fast; a program; arguments mutated
)
@pytest.mark.slow
@needs_valgrind
def test_identity_counts_the_same(problem_id: str) -> None:
    problem = resolve_problem(f"optbench-py/{problem_id}")
    baseline, m = _identity(problem)
    assert baseline.profile == "instructions" and len(baseline.time_values) == 1
    assert baseline.time_values[0] > 1_000_000
    assert baseline.machine["valgrind"].startswith("valgrind-")
    assert ("seccomp" in baseline.machine["count_isolation"]) == ins.detect_isolation().seccomp
    assert abs(m.time.ratio - 1.0) <= 0.005, m.details["instructions"]
    assert m.time.ci_low <= 1.0 <= m.time.ci_high
    assert not m.time.significant
    assert m.memory is None and m.profile == "instructions"
    counts = m.details["instructions"]
    assert counts["candidate_gross"] - counts["startup"] == counts["candidate"]
    assert m.time.baseline.values == baseline.time_values


FORGER = """
import sys

def count_pairs(nums, target):
    # what valgrind prints at exit, forged on standard error before it
    sys.stderr.write("==2== I   refs:      1,000\\n==3== I   refs:      1,000\\n")
    seen = {}
    pairs = 0
    for x in nums:
        pairs += seen.get(target - x, 0)
        seen[x] = seen.get(x, 0) + 1
    return pairs
"""


@pytest.fixture(scope="module")
def pair_sum() -> tuple[Problem, BaselineResult, list[CandidateMeasurement | MeasurementError]]:
    problem = resolve_problem("optbench-py/pair-sum-count")
    assert problem.fast_source is not None
    stored = measure_baseline(problem, "instructions").to_dict()
    baseline = BaselineResult.from_dict(stored)  # reused as the runner stores it
    wrong = problem.fast_source.replace("return ", "return 1 + ", 1)
    codes = [problem.fast_source, wrong, FORGER]
    return problem, baseline, measure_candidates(problem, codes, "instructions", baseline)


@pytest.mark.slow
@needs_valgrind
def test_the_reference_executes_far_fewer_instructions(
    pair_sum: tuple[Problem, BaselineResult, list[CandidateMeasurement | MeasurementError]],
) -> None:
    _, baseline, (reference, _, _) = pair_sum
    assert isinstance(reference, CandidateMeasurement), reference
    assert reference.time.ratio > 1.3 and reference.time.significant
    assert reference.time.ci_low > 1.3
    assert reference.time.baseline.values == baseline.time_values
    assert reference.details["measured_together"] == 3
    assert reference.details["workload_seed"] is None


@pytest.mark.slow
@needs_valgrind
def test_a_wrong_candidate_fails_as_with_the_clock(
    pair_sum: tuple[Problem, BaselineResult, list[CandidateMeasurement | MeasurementError]],
) -> None:
    _, _, (_, wrong, _) = pair_sum
    assert isinstance(wrong, MeasurementError)
    assert wrong.verdict == VerdictStatus.NOT_EQUIVALENT
    assert "differs from the original's" in wrong.reason


@pytest.mark.slow
@needs_valgrind
def test_a_summary_forged_on_standard_error_is_rejected(
    pair_sum: tuple[Problem, BaselineResult, list[CandidateMeasurement | MeasurementError]],
) -> None:
    _, _, (_, _, forger) = pair_sum
    assert isinstance(forger, MeasurementError)
    assert forger.verdict == VerdictStatus.REJECTED
    assert "summary appears more than once" in forger.reason


def _count_client(script: str) -> int:
    """Run ``script`` (not the worker: no guard, no filter) under valgrind in a count's
    sandbox; valgrind's total for it, checked by :func:`ins.read_count`, once it exited
    with status 0."""
    with Sandbox(ins.count_limits(120), ins.count_isolation()) as sandbox:
        client = [sys.executable, "client.py"]
        sandbox.write("client.py", script.replace("COMMAND", " ".join(client)))
        run = sandbox.run(ins.valgrind_argv(sandbox.workdir, client), timeout=120)
        count = ins.read_count(sandbox.workdir, run, " ".join(client))
        assert run.returncode == 0, run.stderr[-500:]
        return count


FORGE_FILE = """
import os
path = f"cachegrind.out.{os.getpid()}"
with open(path, "w") as handle:
    handle.write("events: Ir\\ncmd: COMMAND\\nfl=x\\nfn=y\\n0 1000\\nsummary: 1000\\n")
"""


@pytest.mark.slow
@needs_valgrind
def test_a_forged_output_file_is_overwritten_or_rejected() -> None:
    # valgrind truncates what the client wrote and writes the real count at exit
    assert _count_client(FORGE_FILE) > 1_000_000
    # a file valgrind cannot write keeps the forgery; valgrind then prints a total of 0
    if not ins.detect_isolation().own_uid:
        pytest.skip("the client runs as this user, who may write a read-only file anyway")
    with pytest.raises(ins.CountRejected, match="valgrind printed 0"):
        _count_client(FORGE_FILE + "os.chmod(path, 0o444)\n")


@pytest.mark.slow
@needs_valgrind
def test_an_exec_runs_under_valgrind_and_is_rejected() -> None:
    exec_shell = (
        'import os\nos.execv("/bin/sh", ["sh", "-c", "echo \'==2== I   refs:      5\' >&2"])\n'
    )
    with pytest.raises(ins.CountRejected, match="a second program ran under valgrind"):
        _count_client(exec_shell)


@pytest.mark.slow
@needs_valgrind
def test_a_count_can_start_no_process_or_thread() -> None:
    script = """
import os, sys, threading
try:
    os.fork()
    sys.exit("forked")
except BlockingIOError:
    pass
try:
    threading.Thread(target=print).start()
    sys.exit("started a thread")
except RuntimeError:
    pass
"""
    assert _count_client(script) > 1_000_000


@pytest.mark.slow
@needs_valgrind
def test_counted_code_runs_under_the_kernels_filter() -> None:
    """``os.mknod`` raises no audit event: only the seccomp filter, loaded under valgrind in
    its ``counted`` profile, refuses it (a name is data that outlives the execution)."""
    if not ins.detect_isolation().seccomp:
        pytest.skip("no working seccomp filter on this machine")
    problem = resolve_problem("optbench-py/pair-sum-count")
    code = "import os\n\ndef count_pairs(nums, target):\n    os.mknod('n-' + str(target))\n    return 0\n"
    with pytest.raises(MeasurementError, match="PermissionError") as caught:
        ins.count_code(problem, code, ([1, 2, 3], 3), timeout=60, cpu=None, side="candidate")
    assert "under valgrind" in caught.value.reason


@pytest.mark.slow
@needs_valgrind
def test_the_cli_prints_the_instruction_ratio() -> None:
    reference = "datasets/optbench-py/pair-sum-count/fast.py"
    result = subprocess.run(
        [sys.executable, "-m", "optbench.cli", "measure", "optbench-py/pair-sum-count",
         reference, "--profile", "instructions"],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "instructions profile" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "instr" in line and "x" in line)
    ratio = float(
        next(word for word in shlex.split(row.replace("│", " ")) if word.endswith("x"))[:-1]
    )
    assert ratio > 1.3
