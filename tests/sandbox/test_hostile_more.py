"""More hostile candidates: exceptions and results that fight back, and candidates that try
to fake a speedup while measured (patched clocks, results cached between executions in
memory or on disk, work moved to another process or out of the timed region).

Verification cases end with ``assert_harness_ok`` as in ``test_hostile``; measurement cases
run the real pyperf worker in the real sandbox against the original of a bundled problem.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from optbench.core import Problem
from optbench.core.verdict import VerdictStatus
from optbench.datasets import resolve_problem
from optbench.measure import BaselineResult, MeasurementError, MeasureProfile, measure_baseline
from optbench.measure import measure_candidate as _measure_candidate
from tests.sandbox.test_hostile import PROGRAM, candidate, check

TINY = MeasureProfile(
    name="tiny",
    processes=2,
    values=1,
    warmups=1,
    memory_runs=1,
    timeout_s=20.0,
    description="tests only",
)


# -- verification -------------------------------------------------------------------


def test_exception_whose_str_raises_keyboard_interrupt_is_an_exception_mismatch() -> None:
    code = candidate(
        "raise Nasty()\n",
        header="class Nasty(Exception):\n    def __str__(self):\n        raise KeyboardInterrupt\n",
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.for_prompt()
    assert verdict.counterexample is not None
    assert "solution.Nasty: <unprintable>" in verdict.counterexample.actual


def test_result_whose_repr_raises_system_exit_is_not_equivalent() -> None:
    code = candidate(
        "return Nasty()\n",
        header="class Nasty:\n    def __repr__(self):\n        raise SystemExit(0)\n",
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.for_prompt()
    assert verdict.counterexample is not None
    assert "could not be encoded" in verdict.counterexample.actual


@pytest.mark.parametrize(
    ("body", "header", "shown"),
    [
        ("raise KeyboardInterrupt\n", "", "KeyboardInterrupt"),
        ("raise Stop('x')\n", "class Stop(BaseException):\n    pass\n", "solution.Stop: x"),
    ],
    ids=["keyboard-interrupt", "base-exception-subclass"],
)
def test_base_exceptions_escaping_the_function_are_an_exception_mismatch(
    body: str, header: str, shown: str
) -> None:
    verdict = check(candidate(body, header=header))
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.counterexample is not None
    assert shown in verdict.counterexample.actual


def test_int_subclass_that_equals_everything_is_not_equivalent() -> None:
    code = candidate(
        "return [Liar(2 * x) for x in xs]\n",
        header="class Liar(int):\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = int.__hash__\n",
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.counterexample is not None
    assert "solution.Liar" in verdict.counterexample.actual


def test_result_nested_a_million_deep_is_not_equivalent() -> None:
    code = candidate("deep = []\nfor _ in range(10**6):\n    deep = [deep]\nreturn deep\n")
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.elapsed_s < 20


def test_a_thread_left_spinning_does_not_change_the_verdict() -> None:
    """Each input leaves one more thread spinning beside the next ones (the process's
    threads share the interpreter lock): a few inputs, each with time to spare on a busy
    machine."""
    from optbench.verify import VerifyConfig, verify
    from tests.sandbox.test_hostile import PROBLEM

    code = candidate(
        "threading.Thread(target=spin, daemon=True).start()\nreturn [2 * x for x in xs]\n",
        header="import threading\ndef spin():\n    while True:\n        pass\n",
    )
    config = VerifyConfig(max_examples=6, budget_s=60, min_example_timeout_s=8.0)
    verdict = verify(PROBLEM, code, config)
    assert verdict.ok, verdict.for_prompt()


def test_replacing_os_write_and_os_exit_does_not_silence_the_worker() -> None:
    """The worker reports the violation and exits although the candidate replaced the
    functions it would use for both (before, it hung until the load timeout)."""
    code = candidate(
        "os.fork()\nreturn [2 * x for x in xs]\n",
        header="import os\nos._exit = lambda *args: None\nos.write = lambda fd, data: len(data)\n",
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.REJECTED, verdict.for_prompt()
    assert "fork" in verdict.message
    assert verdict.elapsed_s < 10


def test_a_candidate_that_sleeps_through_the_budget_does_not_pass() -> None:
    """Each input stays under its own timeout, but together they run the verification
    out of time after a few inputs: that is no evidence of equivalence."""
    from optbench.verify import VerifyConfig, verify
    from tests.sandbox.test_hostile import PROBLEM

    code = candidate("time.sleep(0.4)\nreturn [2 * x for x in xs]\n", header="import time\n")
    config = VerifyConfig(max_examples=15, budget_s=3, min_example_timeout_s=1.0)
    verdict = verify(PROBLEM, code, config)
    assert verdict.status is VerdictStatus.TIMEOUT, verdict.for_prompt()
    assert "budget" in verdict.message


def test_program_that_exits_with_status_zero_after_its_output_is_equivalent() -> None:
    code = "import sys\nprint(sum(map(int, input().split())))\nsys.exit(0)\n"
    verdict = check(code, PROGRAM)
    assert verdict.ok, verdict.for_prompt()


# -- measurement ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def primes() -> tuple[Problem, BaselineResult]:
    problem = resolve_problem("optbench-py/count-primes")
    return problem, measure_baseline(problem, TINY, memory=False)


def measure_candidate(primes: tuple[Problem, BaselineResult], code: str) -> float:
    problem, baseline = primes
    return _measure_candidate(problem, code, TINY, baseline, memory=False).speedup


def slow_renamed(problem: Problem, name: str = "_slow") -> str:
    return problem.slow_source.replace("def count_primes(n):", f"def {name}(n):")


@pytest.mark.slow
def test_patching_the_worker_clock_does_not_fake_a_speedup(
    primes: tuple[Problem, BaselineResult],
) -> None:
    problem, _ = primes
    header = "import sys\nsys.modules['__main__']._thread_clock = lambda: 0.0\n"
    header += "import time\ntime.process_time = time.thread_time = lambda: 0.0\n"
    speedup = measure_candidate(primes, header + problem.slow_source)
    assert speedup < 1.5, speedup


@pytest.mark.slow
def test_result_cached_in_builtins_earns_nothing(primes: tuple[Problem, BaselineResult]) -> None:
    problem, _ = primes
    code = slow_renamed(problem) + textwrap.dedent(
        """
        import builtins

        def count_primes(n):
            cache = builtins.__dict__.setdefault("_optbench_cache", {})
            if n not in cache:
                cache[n] = _slow(n)
            return cache[n]
        """
    )
    # a value is one execution in its own child: no later execution to serve from the
    # cache, so the value is honest
    speedup = measure_candidate(primes, code)
    assert speedup < 1.5, speedup


@pytest.mark.slow
def test_result_cached_in_a_file_is_rejected(primes: tuple[Problem, BaselineResult]) -> None:
    problem, _ = primes
    code = slow_renamed(problem) + textwrap.dedent(
        """
        import os

        def count_primes(n):
            path = f"cache-{n}.txt"
            if os.path.exists(path):
                return int(open(path).read())
            result = _slow(n)
            with open(path, "w") as handle:
                handle.write(str(result))
            return result
        """
    )
    with pytest.raises(MeasurementError, match="for writing while being measured"):
        measure_candidate(primes, code)


@pytest.mark.slow
def test_work_moved_to_a_forked_process_is_rejected(
    primes: tuple[Problem, BaselineResult],
) -> None:
    problem, _ = primes
    code = slow_renamed(problem) + textwrap.dedent(
        """
        import os

        def count_primes(n):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.write(write, str(_slow(n)).encode())
                os._exit(0)
            os.close(write)
            data = os.read(read, 100)
            os.waitpid(pid, 0)
            return int(data)
        """
    )
    with pytest.raises(MeasurementError, match=r"rejected: attempted to fork .*\(while probed\)"):
        measure_candidate(primes, code)


@pytest.mark.slow
def test_work_moved_out_of_the_timed_region_is_rejected(
    primes: tuple[Problem, BaselineResult],
) -> None:
    """The call returns a placeholder at once; a patched encoder, which the worker calls
    after the clock stops, computes the real answer."""
    problem, _ = primes
    code = slow_renamed(problem) + textwrap.dedent(
        """
        from optbench import codec

        class Later:
            def __init__(self, n):
                self.n = n

        if not getattr(codec.encode, "patched", False):
            real = codec.encode

            def encode(value, *args, **kwargs):
                if type(value).__name__ == "Later":
                    value = _slow(value.n)
                return real(value, *args, **kwargs)

            encode.patched = True
            codec.encode = encode

        def count_primes(n):
            return Later(n)
        """
    )
    # with optbench's modules out of its sight, the code patches a fresh copy of the
    # codec, and its placeholder is what the harness sees; with them in sight, the parent
    # sees the work done after the region
    with pytest.raises(
        MeasurementError, match=r"work hidden outside the (timed|measured) region|differs"
    ):
        measure_candidate(primes, code)


@pytest.mark.slow
def test_a_forged_report_on_the_timing_pipe_is_caught(
    primes: tuple[Problem, BaselineResult],
) -> None:
    """Writes a report claiming almost no CPU time to every open descriptor, then exits:
    the parent reads the time from the kernel and takes no message out of turn."""
    problem, _ = primes
    code = slow_renamed(problem) + textwrap.dedent(
        """
        import json
        import os
        import sys

        def count_primes(n):
            result = _slow(n)
            # the harness's modules are out of sight, its command line is not
            if b"--job" not in open("/proc/self/cmdline", "rb").read():
                return result
            wire = json.dumps({"status": "ok", "value": result, "args_after": [n]})
            report = {"elapsed": 1e-6, "wire": wire, "state": "", "modules": []}
            for fd in range(3, 64):
                try:
                    os.write(fd, b"\\n" + json.dumps(report).encode() + b"\\n")
                except OSError:
                    pass
            os._exit(0)
        """
    )
    with pytest.raises(MeasurementError, match=r"out of turn"):
        measure_candidate(primes, code)


@pytest.mark.slow
def test_signalling_the_timing_process_is_rejected(
    primes: tuple[Problem, BaselineResult],
) -> None:
    problem, _ = primes
    code = problem.slow_source + textwrap.dedent(
        """
        import os
        import signal
        import sys

        # the harness's modules are out of sight, its command line is not
        if b"--job" in open("/proc/self/cmdline", "rb").read():
            os.kill(os.getppid(), signal.SIGSTOP)
        """
    )
    with pytest.raises(MeasurementError, match=r"rejected: .*os\.kill.*\(while timed\)"):
        measure_candidate(primes, code)


@pytest.mark.slow
def test_a_thread_left_running_while_timed_is_rejected(
    primes: tuple[Problem, BaselineResult],
) -> None:
    problem, _ = primes
    code = problem.slow_source + textwrap.dedent(
        """
        import threading
        import time

        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
        """
    )
    with pytest.raises(MeasurementError, match=r"thread|work hidden outside"):
        measure_candidate(primes, code)


@pytest.mark.slow
def test_keyboard_interrupt_while_probed_is_named(primes: tuple[Problem, BaselineResult]) -> None:
    code = "def count_primes(n):\n    raise KeyboardInterrupt\n"
    with pytest.raises(MeasurementError, match="candidate raises KeyboardInterrupt"):
        measure_candidate(primes, code)


@pytest.mark.slow
def test_ordinary_modules_threads_and_namedtuples_measure_fine(
    primes: tuple[Problem, BaselineResult],
) -> None:
    """No false alarm: imports, a joined thread and ``namedtuple`` (which inspects the
    caller's frame) are fine while measured, and the reference is still faster."""
    problem, _ = primes
    assert problem.fast_source is not None
    code = problem.fast_source + textwrap.dedent(
        """
        import bisect
        import heapq
        import threading
        from collections import namedtuple

        Pair = namedtuple("Pair", "a b")
        _worker = threading.Thread(target=heapq.heapify, args=([3, 1, 2],))
        _worker.start()
        _worker.join()
        """
    )
    speedup = measure_candidate(primes, code)
    assert speedup > 1.5, speedup


@pytest.mark.slow
def test_a_deeply_nested_forged_result_is_that_candidates_error(
    primes: tuple[Problem, BaselineResult],
) -> None:
    """The candidate switches the in-process guard off, writes a result nested far deeper
    than a parser's recursion limit where the worker writes its own, and exits. Parsing it
    used to raise RecursionError, which ended the whole run (and every resume of it)."""
    problem, _ = primes
    code = slow_renamed(problem) + textwrap.dedent(
        """
        import glob, os, sys

        def count_primes(n):
            guard = sys.modules.get("optbench.runtime.guard")
            if guard is not None:
                guard._ALWAYS.clear()
                guard._PATH_WRITES.clear()
            nested = "[" * 200_000 + "]" * 200_000
            for path in [*sys.argv, *glob.glob("*.json")]:
                if path.endswith(".json") and "job" not in path:
                    with open(path, "w") as handle:
                        handle.write(nested)
            os._exit(0)
        """
    )
    with pytest.raises(MeasurementError) as info:
        measure_candidate(primes, code)
    assert info.value.verdict is not None, info.value


@pytest.mark.slow
def test_an_answer_spelled_in_imported_modules_does_not_reach_later_values(
    primes: tuple[Problem, BaselineResult],
) -> None:
    """The first value computes the answer and imports stdlib modules that spell it in
    binary; later values would read it back from ``sys.modules`` if the worker carried
    the first value's imports into later ones."""
    problem, _ = primes
    code = slow_renamed(problem) + textwrap.dedent(
        """
        import importlib, sys

        BITS = ["colorsys", "wave", "tabnanny", "netrc", "sched", "graphlib", "mailbox",
                "stringprep", "zipapp", "plistlib", "codeop", "cmd", "rlcompleter",
                "symtable", "tomllib", "pprint", "gettext", "mimetypes", "pyclbr", "timeit"]
        MARK = "nturl2path"

        def count_primes(n):
            if MARK in sys.modules:
                return sum(1 << i for i, name in enumerate(BITS) if name in sys.modules)
            answer = _slow(n)
            for i, name in enumerate(BITS):
                if answer >> i & 1:
                    importlib.import_module(name)
            importlib.import_module(MARK)
            return answer
        """
    )
    try:
        speedup = measure_candidate(primes, code)
    except MeasurementError:
        return
    assert speedup < 3, speedup


SUM_SLOW = """\
def total(xs):
    out = 0
    for x in xs:
        out += x
    return out
"""

SUM_INPUTS = """\
from hypothesis import strategies as st

def strategy():
    return st.tuples(st.lists(st.integers(), min_size=1))

def workload(seed=None):
    return (list(range(2_000)),)
"""


@pytest.fixture(scope="module")
def fast_sum() -> Problem:
    from optbench.core import ProblemKind

    return Problem(
        id="total",
        dataset="test",
        title="sum of a list",
        kind=ProblemKind.FUNCTION,
        slow_source=SUM_SLOW,
        entry_point="total",
        inputs_source=SUM_INPUTS,
        content_hash="test-total",
    )


@pytest.mark.slow
def test_a_result_kept_in_builtins_for_a_later_execution_earns_nothing(
    fast_sum: Problem,
) -> None:
    """The first execution computes, a later one would serve what it left in builtins:
    no value has a later execution, so the code is timed as the slow code it wraps."""
    from optbench.measure import measure

    code = SUM_SLOW.replace("def total(xs):", "def _total(xs):") + textwrap.dedent(
        """
        import builtins

        def total(xs):
            kept = builtins.__dict__.setdefault("_kept", {})
            if "v" not in kept:
                kept["v"] = _total(xs)
            return kept["v"]
        """
    )
    m = measure(fast_sum, code, TINY, memory=False)
    assert m.details["loops"]["candidate"] == 1
    assert m.time.ratio < 1.5, m.time


@pytest.mark.slow
def test_a_region_ended_early_by_a_forged_token_is_rejected(fast_sum: Problem) -> None:
    """The code writes the child's end-of-region token itself, then does the real work
    after it: the parent takes the clock too early, but sees the work outside the
    region."""
    from optbench.measure import measure

    code = SUM_SLOW.replace("def total(xs):", "def _total(xs):") + textwrap.dedent(
        """
        import os

        def total(xs):
            for fd in range(3, 64):
                try:
                    os.write(fd, b"D")
                except OSError:
                    pass
            for _ in range(3000):
                _total(xs)
            return _total(xs)
        """
    )
    with pytest.raises(MeasurementError, match=r"out of turn|work hidden outside"):
        measure(fast_sum, code, TINY, memory=False)


def test_a_candidate_correct_only_inside_the_harness_is_caught() -> None:
    """It computes the right answer only where it sees the harness's modules, command line
    or environment; the code is loaded with none of them in sight."""
    code = candidate(
        "import os, sys\n"
        "seen = [m for m in sys.modules if m.startswith(('optbench', 'pyperf'))]\n"
        "seen += [a for a in sys.argv if 'optbench' in a or 'worker' in a]\n"
        "seen += [k for k in os.environ if k.startswith('OPTBENCH')]\n"
        "seen += [n for n in dir(sys.modules['__main__']) if not n.startswith('__')]\n"
        "return [2 * x for x in xs] if seen else [x for x in xs]\n"
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.for_prompt()


@pytest.mark.slow
def test_a_candidate_fast_only_outside_the_harness_is_measured_as_it_runs(
    primes: tuple[Problem, BaselineResult],
) -> None:
    """Measured, it sees no harness either: it takes the path it would take anywhere
    (here: a wrong shortcut, which the output check catches)."""
    problem, _ = primes
    code = slow_renamed(problem) + textwrap.dedent(
        """
        import sys

        def count_primes(n):
            if any(m.startswith(("optbench", "pyperf")) for m in sys.modules):
                return _slow(n)
            return 0
        """
    )
    with pytest.raises(MeasurementError, match="differs from the original"):
        measure_candidate(primes, code)


@pytest.mark.slow
def test_a_forged_memory_report_changes_nothing(fast_sum: Problem) -> None:
    """The code allocates 200 MB, then writes a result claiming a few bytes of memory to
    every descriptor it has and exits: the memory figure is read from the kernel by the
    child's parent, and the forged lines are no report at all."""
    from optbench.measure import measure

    code = SUM_SLOW.replace("def total(xs):", "def _total(xs):") + textwrap.dedent(
        """
        import json
        import os

        def total(xs):
            hog = bytearray(200 * 1024 * 1024)
            hog[::4096] = b"x" * len(hog[::4096])
            forged = {"error": None, "elapsed": 1e-6, "peak_bytes": 1, "hwm_bytes": 1,
                      "tracemalloc_peak": 1, "vmhwm_bytes": 1}
            for fd in range(3, 64):
                try:
                    os.write(fd, json.dumps(forged).encode())
                except OSError:
                    pass
            return _total(xs)
        """
    )
    try:
        m = measure(fast_sum, code, TINY)
    except MeasurementError as exc:  # the forged bytes broke the child's report
        assert re.search(r"out of turn|malformed|rejected", exc.reason), exc.reason
        return
    assert m.memory is not None
    assert m.memory.ratio < 0.2, m.memory  # the candidate's peak is far above the original's


ENVIRON_CACHE = """import os
{fast}
def {entry}(*args):
    key = "OPTBENCH_CACHED_ANSWER"
    if key in os.environ:
        return eval(os.environ[key])
    answer = _honest(*args)
    os.environ[key] = repr(answer)
    return answer
"""


@pytest.mark.slow
def test_an_answer_kept_in_process_state_between_executions_earns_nothing() -> None:
    """``os.environ`` (like an interpreter setting) outlives one execution in a process and
    is not a name the harness could list: a candidate that answers from it the second
    time is timed as the honest code it wraps, since no value has a second execution."""
    from optbench.measure import measure

    problem = resolve_problem("optbench-py/count-primes")
    fast = problem.fast_source or ""
    cheat = ENVIRON_CACHE.format(
        fast=fast.replace("def count_primes(", "def _honest("), entry="count_primes"
    )
    honest = measure(problem, fast, TINY, memory=False)
    cached = measure(problem, cheat, TINY, memory=False)
    assert cached.details["loops"]["candidate"] == 1
    assert cached.time.ratio < 2 * honest.time.ratio, (cached.time, honest.time)
