"""What the kernel enforces, with the in-process guard switched off.

The audit hook of :mod:`optbench.runtime.guard` runs in the candidate's own interpreter,
so a candidate can clear it. Every candidate here does so first, then tries a trick that
the hook used to be the only thing stopping: the seccomp filter, the sandbox's allowlisted
view of the file system, its size-limited tmpfs and its memory cgroup must stop it on their
own. Tricks that succeed return the right answer, so a trick that is not stopped shows up
as an equivalent verdict or a clean measurement.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from optbench.core import Problem
from optbench.core.verdict import VerdictStatus
from optbench.measure import BaselineResult, MeasurementError
from optbench.sandbox import Limits, Sandbox, detect_isolation
from optbench.techniques.hotspots import line_profile
from tests.sandbox.test_hostile import PROBLEM, REPO, candidate, check
from tests.sandbox.test_hostile_more import measure_candidate, primes, slow_renamed

__all__ = ["primes"]  # the module-scoped fixture, shared with test_hostile_more

ISOLATION = detect_isolation()
needs_seccomp = pytest.mark.skipif(
    not ISOLATION.seccomp, reason="no seccomp filter on this machine (libseccomp2, pyseccomp)"
)
needs_allowlist = pytest.mark.skipif(
    not ISOLATION.private_fs, reason="no allowlisted file system (needs bubblewrap)"
)

CLEAR_GUARD = """
import gc as _gc
import sys as _sys
_guard = _sys.modules.get("optbench.runtime.guard")
if _guard is not None:
    _guard._ALWAYS.clear()
    _guard._PATH_WRITES.clear()
for _hook in _gc.get_objects():
    if getattr(_hook, "__qualname__", "") == "install.<locals>.hook":
        for _cell in _hook.__closure__ or ():
            if _cell.cell_contents == [False]:
                _cell.cell_contents[0] = True  # the hook's re-entry flag: it returns at once
"""
"""Switches the audit hook off from inside: clears its tables (what the hook looks up by
name) and sets its re-entry flag (which makes it skip every event, writes included)."""

TRICKS = {
    "fork": "pid = os.fork()\nif pid == 0:\n    os._exit(0)\nos.waitpid(pid, 0)\n",
    "exec": "os.execv('/bin/true', ['true'])\n",
    "mknod": "os.mknod(f'smuggled-{len(xs)}-{sum(xs)}')\n",
    "utime": "os.utime(__file__, (len(xs), sum(xs)))\n",
    "chmod": "os.chmod(__file__, 0o777)\n",
    "socket": "socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()\n",
}


def _trick_candidate(trick: str) -> str:
    """Clears the guard, then tries ``trick``: the right answer if it works, the errno
    of the refusal if not."""
    body = "try:\n" + textwrap.indent(TRICKS[trick], "    ")
    body += "except OSError as exc:\n    return ['refused', exc.errno]\n"
    body += "return [2 * x for x in xs]\n"
    return candidate(body, header="import os\nimport socket\n" + CLEAR_GUARD)


@needs_seccomp
@pytest.mark.parametrize("trick", sorted(TRICKS))
def test_a_candidate_that_clears_the_guard_is_refused_by_the_kernel(trick: str) -> None:
    verdict = check(_trick_candidate(trick))
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.for_prompt()
    assert verdict.counterexample is not None
    assert verdict.counterexample.actual == "['refused', 1]", verdict.counterexample


@needs_seccomp
def test_guard_clearing_is_seen_by_the_trick_tests() -> None:
    """The tricks above would pass if the guard were still on: clearing it works, so the
    refusals come from the kernel."""
    code = candidate(
        "open('inside-is-fine.txt', 'w').close()\nos.remove('inside-is-fine.txt')\n"
        "return [2 * x for x in xs]\n",
        header="import os\n" + CLEAR_GUARD,
    )
    assert check(code).ok


def test_threads_still_run_in_a_verified_candidate() -> None:
    code = candidate(
        "with ThreadPoolExecutor(max_workers=3) as pool:\n"
        "    return list(pool.map(lambda x: 2 * x, xs))\n",
        header="from concurrent.futures import ThreadPoolExecutor\n",
    )
    verdict = check(code)
    assert verdict.ok, verdict.for_prompt()


# -- what the sandbox can see ----------------------------------------------------------


@pytest.fixture
def planted(tmp_path: Path) -> list[Path]:
    """Secrets in host directories a sandbox must not see: the checkout, a test's tmp
    dir, root's home (world-readable files in each)."""
    token = secrets.token_hex(8)
    paths = [
        REPO / f".optbench-planted-{token}.txt",
        tmp_path / "planted.txt",
        Path("/root") / f".optbench-planted-{token}.txt",
    ]
    for path in paths:
        path.write_text(f"secret-{token}")
        path.chmod(0o644)
    tmp_path.chmod(0o755)
    yield paths
    for path in paths:
        path.unlink(missing_ok=True)


@needs_allowlist
def test_a_candidate_cannot_read_host_files(planted: list[Path]) -> None:
    targets = [*planted, REPO / "pyproject.toml", Path("/etc/passwd")]
    code = candidate(
        f"out = []\nfor path in {[str(p) for p in targets]!r}:\n"
        "    try:\n        out.append(open(path).read()[:40])\n"
        "    except OSError as exc:\n        out.append(type(exc).__name__)\n"
        "return out\n",
        header=CLEAR_GUARD,
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.counterexample is not None
    actual = verdict.counterexample.actual
    assert "secret-" not in str(verdict.to_dict())
    assert "optbench" not in actual and "root:" not in actual, actual
    assert actual.count("FileNotFoundError") == len(targets), actual


@needs_allowlist
def test_a_plain_sandboxed_child_sees_only_the_allowlist(planted: list[Path]) -> None:
    script = textwrap.dedent(
        """
        import os, sys
        for path in sys.argv[1:]:
            print(path, os.path.exists(path))
        """
    )
    paths = [*map(str, planted), str(REPO / "datasets"), "/home", "/etc/hosts"]
    with Sandbox() as sandbox:
        result = sandbox.run(sandbox.python("-c", script, *paths), timeout=30)
    assert result.returncode == 0, result
    lines = result.stdout.decode().splitlines()
    shown = dict(line.rsplit(" ", 1) for line in lines)
    for path in map(str, planted):
        assert shown[path] == "False", lines
    assert shown[str(REPO / "datasets")] == "False"
    assert shown["/home"] == "False"
    assert shown["/etc/hosts"] == "False"


# -- bounds ------------------------------------------------------------------------------


@needs_allowlist
def test_writing_a_gigabyte_into_tmp_is_stopped_by_its_size() -> None:
    """A candidate's writable place is its scratch dir below ``TMPDIR``, a private tmpfs of
    ``Limits.tmpfs_mb``: a gigabyte does not fit (before, ``TMPDIR`` was the workdir, on
    the host's disk)."""
    code = candidate(
        "chunk = b'x' * (16 << 20)\nwritten = 0\n"
        "for i in range(64):\n"
        "    try:\n"
        "        with open(os.path.join(tempfile.gettempdir(), f'fill-{i}'), 'wb') as handle:\n"
        "            handle.write(chunk)\n"
        "        written += len(chunk)\n"
        "    except OSError as exc:\n"
        "        return ['stopped', exc.errno, written >> 20]\n"
        "return ['wrote', written >> 20]\n",
        header="import os\nimport tempfile\n" + CLEAR_GUARD,
    )
    verdict = check(code)
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT
    assert verdict.counterexample is not None
    actual = verdict.counterexample.actual
    assert actual.startswith("['stopped', 28, "), actual
    assert int(actual.rsplit(",", 1)[1].strip(" ]")) <= Limits().tmpfs_mb


@needs_allowlist
def test_tmp_and_dev_shm_of_a_plain_child_are_size_limited() -> None:
    script = textwrap.dedent(
        """
        import sys
        for where in ("/tmp", "/dev/shm"):
            written = 0
            try:
                with open(f"{where}/fill", "wb") as handle:
                    for _ in range(64):
                        handle.write(b"x" * (1 << 20))
                        handle.flush()
                        written += 1
            except OSError as exc:
                print(where, exc.errno, written)
        """
    )
    with Sandbox(Limits(tmpfs_mb=16)) as sandbox:
        result = sandbox.run(sandbox.python("-c", script), timeout=30)
    assert result.stdout.decode().split("\n")[:2] == ["/tmp 28 16", "/dev/shm 28 16"], result


@pytest.mark.slow
@pytest.mark.skipif(not ISOLATION.memory_cgroup, reason="no memory cgroup on this machine")
def test_memory_of_a_sandbox_is_bounded_in_total() -> None:
    """Memory and tmpfs files of everything in a sandbox share one limit: a child whose
    address space may reach 2 GB is killed when it, its own child and its tmpfs files
    pass 400 MB together."""
    script = textwrap.dedent(
        """
        import os
        with open("/dev/shm/fill", "wb") as handle:
            handle.write(b"x" * (100 << 20))
        pid = os.fork()
        hog = bytearray(200 << 20)
        for i in range(0, len(hog), 4096):
            hog[i] = 1
        if pid == 0:
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        print("survived" if status == 0 else f"child ended with {status}", flush=True)
        """
    )
    limits = Limits(memory_mb=2048, tmpfs_mb=256, memory_total_mb=400)
    with Sandbox(limits) as sandbox:
        result = sandbox.run(sandbox.python("-c", script), timeout=60)
        peak = sandbox.memory_peak_bytes()
    assert b"survived" not in result.stdout, result
    assert peak is not None and peak <= 400 << 20, peak


# -- measurement ---------------------------------------------------------------------


MEASURED_TRICKS = {
    "fork": "pid = os.fork()\nif pid == 0:\n    os._exit(0)\nos.waitpid(pid, 0)\n",
    "exec": "os.execv('/bin/true', ['true'])\n",
    "mknod": "os.mknod(f'cached-{n}-{_slow(n)}')\n",
    "utime": "os.utime('code.py', (n, _slow(n)))\n",
    "chmod": "os.chmod('code.py', 0o777)\n",
    "socket": "socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()\n",
    "write": "open(f'cached-{n}', 'w').write(str(_slow(n)))\n",
    "sysv-shm": (
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "if libc.shmget(0x0B7B, 4096, 0o1000 | 0o600) < 0:\n"
        "    raise OSError(ctypes.get_errno(), 'shmget')\n"
    ),
}
"""Tricks that would let one measured execution leave a result for the next (a file's
name, times or mode; a file; a shared memory segment of the sandbox's IPC namespace) or
hand work to another process."""


@needs_seccomp
@pytest.mark.slow
@pytest.mark.parametrize("trick", sorted(MEASURED_TRICKS))
def test_a_measured_candidate_that_clears_the_guard_is_refused_by_the_kernel(
    primes: tuple[Problem, BaselineResult], trick: str
) -> None:
    problem, _ = primes
    code = (
        slow_renamed(problem)
        + CLEAR_GUARD
        + textwrap.dedent(
            """
        import os, socket

        def count_primes(n):
        """
        )
        + textwrap.indent(MEASURED_TRICKS[trick], "    ")
        + "    return _slow(n)\n"
    )
    with pytest.raises(MeasurementError, match="PermissionError"):
        measure_candidate(primes, code)


@pytest.mark.slow
def test_threads_still_run_in_a_measured_candidate(
    primes: tuple[Problem, BaselineResult],
) -> None:
    """A thread started and joined in every timed call (work in another thread while
    timed is rejected on its own, see ``test_hostile_more``)."""
    problem, _ = primes
    code = slow_renamed(problem) + textwrap.dedent(
        """
        import threading

        def count_primes(n):
            done = []
            helper = threading.Thread(target=done.append, args=(n,))
            helper.start()
            helper.join()
            return _slow(done[0])
        """
    )
    assert measure_candidate(primes, code) > 0


@needs_seccomp
@pytest.mark.parametrize(
    "trick",
    ["socket.socket(socket.AF_UNIX).close()", "open('left-behind.txt', 'w').close()"],
    ids=["socket", "write"],
)
def test_the_line_profiler_runs_the_candidate_under_the_filter(trick: str) -> None:
    """The hotspot profiler runs candidate code without the audit hook: only the filter
    (profile ``measured``) stands between it and the system."""
    code = candidate(f"{trick}\nreturn xs\n", header="import socket\n")
    profile = line_profile(PROBLEM, code, trace_s=2.0, wall_s=30.0)
    assert profile is not None
    assert profile.error is not None and profile.error.startswith("PermissionError"), profile


def test_a_process_that_requires_the_filter_and_cannot_have_it_refuses_to_run() -> None:
    """Where pyseccomp or libseccomp is missing, a worker the sandbox told to use the
    filter stops with a message saying what to install, rather than run the code."""
    script = textwrap.dedent(
        """
        import sys
        sys.modules["pyseccomp"] = None  # as if it were not installed
        from optbench.runtime import seccomp
        try:
            seccomp.enforce("worker")
        except seccomp.SeccompUnavailable as exc:
            print("refused:", exc)
        else:
            print("ran without the filter")
        """
    )
    env = {"PATH": "/usr/bin:/bin", "OPTBENCH_SECCOMP": "required"}
    result = subprocess.run(
        [sys.executable, "-s", "-c", script], capture_output=True, timeout=60, env=env
    )
    out = result.stdout.decode()
    assert out.startswith("refused: no seccomp filter"), (out, result.stderr)
    assert "libseccomp2" in out and "pyseccomp" in out
    env["OPTBENCH_SECCOMP"] = "off"
    result = subprocess.run(
        [sys.executable, "-s", "-c", script], capture_output=True, timeout=60, env=env
    )
    assert result.stdout.decode().startswith("ran without the filter"), result


def test_isolation_says_which_kernel_layers_are_in_force() -> None:
    described = ISOLATION.describe().split("+")
    assert ("seccomp" in described) == ISOLATION.seccomp
    assert ("memcg" in described) == ISOLATION.memory_cgroup
    if ISOLATION.mode == "bwrap":
        assert "allowlist" in described
    elif ISOLATION.mode == "unshare":
        assert "hostfs" in described
