"""Verification and measurement run a program the same way.

The verification worker (one long-lived process, many inputs) and the measurement probe
(a forked child of the measurement worker) both execute code through
:mod:`optbench.runtime.execution`. If either grew its own way of binding stdin and stdout,
capping the output or ending a program, the output a candidate was verified on would no
longer be the output it is timed on; these programs are chosen to show the difference.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from optbench.datasets import resolve_problem
from optbench.measure import MeasurementError, runs
from optbench.runtime.execution import MAX_OUTPUT_BYTES, OutputLimitExceeded, ProgramIO
from optbench.runtime.outcome import Outcome, exception_name, run_program
from optbench.sandbox import Sandbox
from optbench.verify.config import VerifyConfig
from optbench.verify.workers import Worker

STDIN = "3\nalpha\nbeta\ngamma\n" + "filler line\n" * 2000

PROGRAMS = {
    # reads one line through sys.stdin, then the rest straight from fd 0: what fd 0 still
    # holds depends on how much the text layer read ahead
    "partial_read": (
        "import os, sys\n"
        "first = sys.stdin.readline()\n"
        "rest = os.read(0, 1 << 20)\n"
        "print(first.strip(), len(rest))\n"
    ),
    # mixes buffered prints, raw writes to fd 1 and a file object on fd 0
    "raw_fds": (
        "import os, sys\n"
        "print('buffered first')\n"
        "os.write(1, b'raw second\\n')\n"
        "data = open(0).read()\n"
        "sys.stdout.write(str(len(data.split())) + '\\n')\n"
    ),
    # writes to stderr, leaves partial output, exits non-zero
    "stderr_exit": (
        "import sys\n"
        "print('partial', sys.stdin.readline().strip())\n"
        "print('oops', file=sys.stderr)\n"
        "sys.exit(3)\n"
    ),
    # a file object on fd 0 kept in a reference cycle through the program's globals
    "cycle_on_stdin": ("f = open(0)\ndef count():\n    return len(f.read())\nprint(count())\n"),
}
TOO_MUCH = f"import sys\nsys.stdout.write('x' * {MAX_OUTPUT_BYTES + 10})\nprint('unreachable')\n"


@pytest.fixture(scope="module")
def problem() -> Any:
    return resolve_problem("optbench-py/word-count-ranking")


def verified(problem: Any, source: str) -> Outcome:
    worker = Worker("candidate", problem, source, VerifyConfig())
    try:
        assert worker.start().kind == "ok"
        first = worker.call(STDIN, 20.0)
        again = worker.call(STDIN, 20.0)  # the same process, a second input
    finally:
        worker.stop()
    assert first.outcome is not None and again.outcome is not None, first.detail
    assert again.outcome.stdout == first.outcome.stdout
    return first.outcome


def probed(problem: Any, source: str) -> dict[str, Any]:
    with Sandbox() as sandbox:
        runs.write_job(sandbox, problem, source, STDIN)
        probe = runs.run_probe(sandbox, 0, timeout=20.0, cpu=None, side="candidate")
    assert probe.outcome is not None
    wire: dict[str, Any] = json.loads(probe.outcome)
    return wire


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_verification_and_measurement_see_the_same_output(problem: Any, name: str) -> None:
    source = PROGRAMS[name]
    outcome = verified(problem, source)
    wire = probed(problem, source)
    assert outcome.status == wire["status"] == "exit", outcome
    assert outcome.stdout == wire["stdout"]
    assert outcome.exit_code == wire["exit_code"]
    assert outcome.stdout, "the program printed nothing: the case shows no difference"


def test_output_past_the_cap_fails_both_the_same_way(problem: Any) -> None:
    outcome = verified(problem, TOO_MUCH)
    name = exception_name(OutputLimitExceeded())
    assert (outcome.status, outcome.exc_type) == ("raised", name)
    assert len(outcome.stdout) == MAX_OUTPUT_BYTES
    with pytest.raises(MeasurementError, match=OutputLimitExceeded.__name__):
        probed(problem, TOO_MUCH)


def test_a_file_left_on_fd_0_cannot_cut_a_later_execution_short() -> None:
    """A program's file object on fd 0, kept in a cycle, is closed when that program ends,
    not by a garbage collection during the next one (which would close the next one's
    stdin): the long-lived verification worker runs program after program."""
    program_io = ProgramIO()
    before = os.fstat(0).st_ino, os.fstat(1).st_ino
    first = run_program(compile(PROGRAMS["cycle_on_stdin"], "a.py", "exec"), STDIN, program_io)
    later = compile("import gc, sys\ngc.collect()\nprint(len(sys.stdin.read()))\n", "b", "exec")
    second = run_program(later, STDIN, program_io)
    assert (first.status, first.stdout) == ("exit", f"{len(STDIN)}\n")
    assert (second.status, second.stdout) == ("exit", f"{len(STDIN)}\n"), second
    assert (os.fstat(0).st_ino, os.fstat(1).st_ino) == before  # the caller's fds are back
