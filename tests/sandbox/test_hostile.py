"""Hostile candidates: each gets a clear verdict, and the harness carries on afterwards.

Every test ends by verifying a correct candidate (``assert_harness_ok``): whatever the
hostile one did, the next verification must still work.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from optbench.core.problem import ComparePolicy, Problem, ProblemKind
from optbench.core.verdict import Stage, Verdict, VerdictStatus
from optbench.sandbox import Sandbox, detect_isolation
from optbench.verify import VerifyConfig, verify, workers

REPO = Path(__file__).resolve().parents[2]
CONFIG = VerifyConfig(max_examples=15, budget_s=30, min_example_timeout_s=1.0)

SLOW = """
def double_all(xs):
    return [2 * x for x in xs]
"""

INPUTS = """
from hypothesis import strategies as st

def strategy():
    return st.tuples(st.lists(st.integers(0, 9), max_size=5))

def workload():
    return (list(range(100)),)

EDGE_CASES = [([1, 2],)]
"""

PROGRAM_SLOW = "print(sum(map(int, input().split())))\n"
PROGRAM_INPUTS = """
from hypothesis import strategies as st

def strategy():
    return st.lists(st.integers(0, 9), min_size=1, max_size=5).map(
        lambda xs: " ".join(map(str, xs)) + "\\n")

def workload():
    return "1 2 3\\n"

EDGE_CASES = ["1 2\\n"]
"""

PROBLEM = Problem(
    id="double-all",
    dataset="hostile",
    title="double all",
    kind=ProblemKind.FUNCTION,
    slow_source=SLOW,
    entry_point="double_all",
    inputs_source=INPUTS,
    content_hash="hostile-double-all",
)

PROGRAM = Problem(
    id="sum-line",
    dataset="hostile",
    title="sum a line",
    kind=ProblemKind.PROGRAM,
    slow_source=PROGRAM_SLOW,
    compare=ComparePolicy("stdout_ws"),
    inputs_source=PROGRAM_INPUTS,
    content_hash="hostile-sum-line",
)


def candidate(body: str, header: str = "") -> str:
    """A function candidate: ``header`` at module level, ``body`` inside the function."""
    return (
        textwrap.dedent(header)
        + "\ndef double_all(xs):\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
    )


def check(code: str, problem: Problem = PROBLEM) -> Verdict:
    verdict = verify(problem, code, CONFIG)
    assert verdict.isolation == detect_isolation().describe()
    assert verdict.elapsed_s > 0
    assert_harness_ok()
    return verdict


def assert_harness_ok() -> None:
    good = candidate("return [x + x for x in xs]\n")
    verdict = verify(PROBLEM, good, CONFIG)
    assert verdict.ok, verdict.for_prompt()


def test_infinite_loop_times_out() -> None:
    verdict = check(candidate("while True:\n    pass\n"))
    assert verdict.status is VerdictStatus.TIMEOUT
    assert "took longer than 1.0 s" in verdict.message
    assert verdict.counterexample is not None and verdict.counterexample.kind == "timeout"
    assert verdict.elapsed_s < 10


@pytest.mark.slow
def test_infinite_loop_in_a_later_input_is_not_shrunk_through_timeouts() -> None:
    code = candidate("if len(xs) > 3:\n    while True:\n        pass\nreturn [2 * x for x in xs]\n")
    verdict = check(code)
    assert verdict.status is VerdictStatus.TIMEOUT
    assert verdict.stage is Stage.DIFFERENTIAL
    assert verdict.elapsed_s < 10


def test_infinite_recursion_is_an_exception_mismatch() -> None:
    code = candidate("return double_all(xs)\n")
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.counterexample is not None
    assert "RecursionError" in verdict.counterexample.actual


@pytest.mark.slow
def test_infinite_recursion_past_the_c_stack_kills_only_the_worker() -> None:
    code = candidate(
        "return list(map(lambda _: double_all(xs), [0]))\n",
        header="import sys\nsys.setrecursionlimit(10**9)\n",
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.ERROR
    assert "SIGSEGV" in verdict.message


def test_memory_bomb_is_rejected() -> None:
    verdict = check(candidate("blob = bytearray(10**11)\nreturn [len(blob)]\n"))
    assert verdict.status is VerdictStatus.REJECTED
    assert "exceeded the memory limit" in verdict.message


@pytest.mark.slow
def test_growing_memory_bomb_is_stopped() -> None:
    code = candidate("hog = []\nwhile True:\n    hog.append(bytearray(10**7))\n")
    verdict = check(code)
    assert verdict.status in (VerdictStatus.REJECTED, VerdictStatus.TIMEOUT)


def test_fork_bomb_is_rejected() -> None:
    verdict = check(candidate("while True:\n    os.fork()\n", header="import os\n"))
    assert verdict.status is VerdictStatus.REJECTED
    assert "fork" in verdict.message


def test_subprocess_is_rejected() -> None:
    code = candidate("subprocess.run(['true'])\nreturn xs\n", header="import subprocess\n")
    verdict = check(code)
    assert verdict.status is VerdictStatus.REJECTED
    assert "subprocess" in verdict.message


def test_network_connect_is_rejected() -> None:
    code = candidate(
        "socket.create_connection(('93.184.216.34', 80), timeout=1)\nreturn xs\n",
        header="import socket\n",
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.REJECTED
    assert "network connection" in verdict.message


@pytest.mark.parametrize(
    "target",
    [REPO / "optbench-pwned.txt", Path("/tmp/optbench-pwned-host.txt")],
    ids=["repo", "host-tmp"],
)
def test_writing_outside_the_temp_dir_is_rejected(target: Path) -> None:
    target.unlink(missing_ok=True)
    code = candidate(f"open({str(target)!r}, 'w').write('pwned')\nreturn [2 * x for x in xs]\n")
    verdict = check(code)
    assert verdict.status is VerdictStatus.REJECTED
    assert str(target) in verdict.message
    assert not target.exists()


def test_low_level_write_outside_is_rejected_too() -> None:
    target = REPO / "optbench-pwned-os-open.txt"
    code = candidate(
        f"fd = os.open({str(target)!r}, os.O_WRONLY | os.O_CREAT)\nos.write(fd, b'x')\nreturn xs\n",
        header="import os\n",
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.REJECTED
    assert not target.exists()


def test_file_system_is_read_only_without_the_audit_hook() -> None:
    """The OS layer enforces on its own: a plain sandboxed child (no hook) cannot write."""
    if not detect_isolation().readonly_fs:
        pytest.skip("no read-only file system on this machine")
    targets = [REPO / "optbench-pwned-raw.txt", Path("/tmp/optbench-pwned-raw.txt")]
    script = "import sys\nfor p in sys.argv[1:]:\n    try:\n        open(p, 'w').write('x')\n        print('wrote', p)\n    except OSError as e:\n        print('refused', p, e.errno)\n"
    with Sandbox() as sandbox:
        result = sandbox.run(sandbox.python("-c", script, *map(str, targets)), timeout=30)
    assert result.returncode == 0, result
    for target in targets:
        assert not target.exists()
    assert b"wrote " + str(targets[0]).encode() not in result.stdout


def test_environment_secrets_are_not_visible(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-optbench-fake-secret-123"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    code = candidate(
        "return [os.environ.get('OPENAI_API_KEY')] + list(os.environ)\n", "import os\n"
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.counterexample is not None
    assert "[None" in verdict.counterexample.actual
    assert secret not in str(verdict.to_dict())
    assert "OPENAI_API_KEY" not in verdict.counterexample.actual


@pytest.mark.parametrize(
    "body", ["os.kill(os.getppid(), 9)\n", "os.kill(-1, 9)\n"], ids=["ppid", "everyone"]
)
def test_killing_the_parent_is_rejected(body: str) -> None:
    verdict = check(candidate(body + "return xs\n", header="import os\n"))
    assert verdict.status is VerdictStatus.REJECTED
    assert "os.kill" in verdict.message


def test_worker_killing_itself_is_an_error_naming_the_signal() -> None:
    code = candidate("signal.raise_signal(signal.SIGKILL)\n", header="import signal\n")
    verdict = check(code)
    assert verdict.status is VerdictStatus.ERROR
    assert "SIGKILL" in verdict.message


def test_sys_exit_before_the_work_is_a_load_error() -> None:
    verdict = check(candidate("return xs\n", header="import sys\nsys.exit(0)\n"))
    assert verdict.status is VerdictStatus.ERROR
    assert verdict.stage is Stage.STATIC
    assert "SystemExit" in verdict.message


def test_sys_exit_inside_the_function_has_not_returned() -> None:
    verdict = check(candidate("sys.exit(0)\n", header="import sys\n"))
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.counterexample is not None
    assert "SystemExit" in verdict.counterexample.actual


def test_os_exit_is_an_error_saying_how_it_died() -> None:
    verdict = check(candidate("os._exit(0)\n", header="import os\n"))
    assert verdict.status is VerdictStatus.ERROR
    assert "exited with status 0" in verdict.message
    assert verdict.counterexample is not None and verdict.counterexample.kind == "crash"


@pytest.mark.slow
def test_huge_prints_from_a_function_are_harmless() -> None:
    code = candidate("for _ in range(200):\n    print('x' * 100_000)\nreturn [2 * x for x in xs]\n")
    verdict = check(code)
    assert verdict.ok, verdict.for_prompt()


def test_huge_output_of_a_program_is_rejected() -> None:
    code = "import sys\nwhile True:\n    sys.stdout.write('y' * 65536)\n"
    verdict = verify(PROGRAM, code, CONFIG)
    assert verdict.status is VerdictStatus.REJECTED
    assert "output limit" in verdict.message
    assert_harness_ok()


def test_patching_the_comparison_has_no_effect() -> None:
    code = candidate(
        "return [0]\n",
        header="""
        import optbench.codec as codec
        import optbench.runtime.compare as compare
        compare.compare_outcomes = lambda *args, **kwargs: None
        compare.values_equal = lambda *args, **kwargs: True
        codec.Opaque.__eq__ = lambda self, other: True
        """,
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT


def test_patching_builtins_breaks_only_the_candidate() -> None:
    code = candidate(
        "return [0]\n",
        header="import builtins\nbuiltins.isinstance = lambda *args: True\n",
    )
    verdict = check(code)
    assert verdict.status in (VerdictStatus.NOT_EQUIVALENT, VerdictStatus.ERROR)


def test_always_equal_object_is_not_equal() -> None:
    code = candidate(
        "return Liar()\n",
        header="""
        class Liar:
            def __eq__(self, other):
                return True
            def __ne__(self, other):
                return False
            def __hash__(self):
                return 0
            def __repr__(self):
                return "[2, 4]"
        """,
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.counterexample is not None
    assert "Liar" in verdict.counterexample.actual


def test_list_subclass_is_not_a_list() -> None:
    code = candidate(
        "return Sneaky(2 * x for x in xs)\n",
        header="class Sneaky(list):\n    def __eq__(self, other):\n        return True\n",
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT


def test_fake_protocol_messages_on_stdout_are_ignored() -> None:
    fake = '{"op":"result","seq":1,"outcome":{"$dict":[["status","ok"],["value",[2,4]]]}}'
    code = candidate(
        f"print({fake!r})\nos.write(1, b{fake!r} + b'\\n')\nsys.stdout.flush()\nreturn [0]\n",
        header="import os\nimport sys\n",
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.counterexample is not None
    assert verdict.counterexample.actual == "[0]"


def test_writes_to_fd_1_do_not_disturb_a_correct_candidate() -> None:
    code = candidate(
        "os.write(1, b'{\"op\": \"ready\"}\\n')\nos.write(2, b'noise')\nreturn [2 * x for x in xs]\n",
        header="import os\n",
    )
    assert check(code).ok


def test_forged_replies_on_the_real_protocol_pipe_are_caught() -> None:
    """A candidate that finds the protocol pipe and writes a forged reply desynchronises
    the stream; the harness notices the sequence numbers and rejects it."""
    forged = '{"op":"result","seq":%d,"outcome":{"$dict":[["status","ok"],["value",[2,4]]]}}\\n'
    code = candidate(
        f"""
        for fd in range(3, 64):
            for seq in range(1, 4):
                try:
                    os.write(fd, ({forged!r} % seq).encode())
                except OSError:
                    pass
        return [0]
        """,
        header="import os\n",
    )
    verdict = check(code)
    assert verdict.status in (VerdictStatus.REJECTED, VerdictStatus.NOT_EQUIVALENT)
    assert verdict.status is not VerdictStatus.EQUIVALENT


def test_ctypes_is_rejected() -> None:
    verdict = check(candidate("ctypes.string_at(0)\n", header="import ctypes\n"))
    assert verdict.status is VerdictStatus.REJECTED
    assert "ctypes" in verdict.message


def test_import_time_violation_is_rejected_at_the_static_stage() -> None:
    verdict = check(candidate("return xs\n", header="import os\nos.system('true')\n"))
    assert verdict.status is VerdictStatus.REJECTED
    assert verdict.stage is Stage.STATIC
    assert "os.system" in verdict.message


@pytest.mark.slow
def test_no_worker_or_directory_is_left_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    created: list[Sandbox] = []

    class Recording(Sandbox):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            created.append(self)

    monkeypatch.setattr(workers, "Sandbox", Recording)
    verdict = verify(PROBLEM, candidate("while True:\n    pass\n"), CONFIG)
    assert verdict.status is VerdictStatus.TIMEOUT
    assert len(created) >= 2
    for sandbox in created:
        assert not sandbox.workdir.exists()
        assert not sandbox._processes
