"""The sandboxed child process."""

from __future__ import annotations

import contextlib
import os
import random
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from optbench.runtime import seccomp
from optbench.sandbox import cgroup
from optbench.sandbox.isolation import (
    SYSTEM_DIRS,
    SYSTEM_FILES,
    Isolation,
    detect_isolation,
    needed_paths,
)
from optbench.sandbox.limits import Limits

SAFE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
"""The whole environment of a child. Nothing of the parent's (API keys, tokens) leaks in."""

UID_RANGE = (200_000, 900_000)
SCRATCH_DIRS = (Path("/tmp"), Path("/dev/shm"))
"""Private, size-limited tmpfs in every bubblewrap sandbox (``TMPDIR`` is the first)."""
MB = 1024 * 1024


def _allowlist(workdir: Path, workdir_writable: bool, tmpfs_bytes: int) -> list[str]:
    """bwrap arguments for the child's whole view of the file system: a read-only root
    that holds the system directories, a few files of /etc, the interpreter, its
    libraries and the optbench package; a fresh /dev and /proc; private size-limited
    tmpfs at /tmp and /dev/shm; the workdir. Nothing else of the host.

    Parents of the bound paths are created traversable (bwrap would make missing ones
    0700, which the child's own uid cannot enter); the root is made read-only last, so
    nothing but the tmpfs and a writable workdir takes writes."""
    args: list[str] = []
    made: set[Path] = {Path("/")}

    def parents(path: Path) -> None:
        for parent in reversed(path.parents):
            if parent not in made:
                made.add(parent)
                args.extend(["--perms", "0755", "--dir", str(parent)])

    for directory in SYSTEM_DIRS:
        path = Path(directory)
        if path.is_symlink():
            args.extend(["--symlink", os.readlink(path), directory])
        elif path.is_dir():
            args.extend(["--ro-bind", directory, directory])
    for name in SYSTEM_FILES:
        if Path(name).exists():
            parents(Path(name))
            args.extend(["--ro-bind", name, name])
    args.extend(["--dev", "/dev", "--proc", "/proc"])
    for scratch in SCRATCH_DIRS:
        made.add(scratch)
        args.extend(["--perms", "1777", "--size", str(tmpfs_bytes), "--tmpfs", str(scratch)])
    # after the tmpfs: the interpreter or the project may live below /tmp (a clone there)
    for path in needed_paths():
        parents(path)
        args.extend(["--ro-bind", str(path), str(path)])
    parents(workdir)
    args.extend(["--bind" if workdir_writable else "--ro-bind", str(workdir), str(workdir)])
    args.extend(["--remount-ro", "/"])
    return args


@dataclass
class RunResult:
    returncode: int
    stdout: bytes
    stderr: bytes
    timed_out: bool
    wall_s: float
    truncated: bool = False

    @property
    def signal(self) -> int | None:
        return -self.returncode if self.returncode < 0 else None

    def describe_exit(self) -> str:
        if self.timed_out:
            return "killed after the wall-clock limit"
        sig = self.signal
        if sig is not None:
            name = (
                signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
            )
            return f"killed by {name}"
        return f"exit status {self.returncode}"


class SandboxProcess:
    """A running child; :meth:`kill` takes down its whole process tree."""

    def __init__(self, popen: subprocess.Popen[bytes], sandbox: Sandbox) -> None:
        self.popen = popen
        self.sandbox = sandbox
        self.started = time.monotonic()

    @property
    def stdin(self) -> IO[bytes]:
        assert self.popen.stdin is not None
        return self.popen.stdin

    @property
    def stdout(self) -> IO[bytes]:
        assert self.popen.stdout is not None
        return self.popen.stdout

    def alive(self) -> bool:
        return self.popen.poll() is None

    def exited(self) -> bool:
        """Whether the child has exited, without reaping it: while it is an unreaped zombie
        its pid (and so its process group id) cannot be given to another process."""
        if self.popen.returncode is not None:
            return True
        try:
            info = os.waitid(os.P_PID, self.popen.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return True
        return info is not None

    def wait_exit(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.exited():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
        return True

    def kill(self) -> None:
        """Kill the whole process group, then reap the child.

        ``killpg`` is only sent while the child is unreaped: after ``wait`` its pid may
        belong to an unrelated process group (another sandbox's child)."""
        if self.popen.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            self.popen.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        self.sandbox.reap_uid()
        for stream in (self.popen.stdin, self.popen.stdout, self.popen.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


class Sandbox:
    """A temp working directory and the means to run children inside it.

    Use as a context manager; the directory and every process left in it are removed
    on exit.
    """

    def __init__(self, limits: Limits | None = None, isolation: Isolation | None = None) -> None:
        self.limits = limits or Limits()
        self.isolation = isolation or detect_isolation()
        self.workdir = Path(tempfile.mkdtemp(prefix="optbench-sbx-"))
        self.uid: int | None = None
        if self.isolation.own_uid:
            self.uid = random.SystemRandom().randrange(*UID_RANGE)
            os.chown(self.workdir, self.uid, self.uid)
        os.chmod(self.workdir, 0o700)
        self._processes: list[SandboxProcess] = []
        self.cgroup: cgroup.MemoryCgroup | None = None
        root = cgroup.detect() if self.isolation.memory_cgroup else None
        if root is not None:
            try:
                self.cgroup = cgroup.MemoryCgroup(
                    root, self.workdir.name, self.limits.total_memory_mb * MB
                )
            except OSError:
                # recorded on this sandbox, whose isolation its measurements report
                self.isolation = replace(self.isolation, memory_cgroup=False)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for process in self._processes:
            process.kill()
        self._processes.clear()
        self.reap_uid()
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def memory_peak_bytes(self) -> int | None:
        """The most memory everything in the sandbox held at once, tmpfs files included
        (``None`` without a memory cgroup)."""
        return self.cgroup.peak_bytes() if self.cgroup is not None else None

    def write(self, name: str, data: bytes | str) -> Path:
        path = self.workdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        if self.uid is not None:
            for part in [path, *path.relative_to(self.workdir).parents]:
                with contextlib.suppress(OSError):
                    os.chown(self.workdir / part, self.uid, self.uid)
        return path

    def read(self, name: str, limit: int | None = None) -> bytes:
        path = (self.workdir / name).resolve()
        if self.workdir.resolve() not in path.parents:
            raise ValueError(f"{name!r} is outside the sandbox")
        if path.is_symlink() or not path.is_file():
            raise FileNotFoundError(name)
        with path.open("rb") as handle:
            return handle.read(limit or self.limits.max_output_bytes)

    def python(self, *args: str) -> list[str]:
        """argv for the project's interpreter: no user site, no script dir on sys.path,
        no bytecode writes. Not ``-I``: it would ignore the fixed PYTHONHASHSEED of the
        child's (already scrubbed) environment, and outputs that depend on the order of a
        set of strings would then differ between the original's and the candidate's
        processes."""
        return [sys.executable, "-s", "-P", "-B", *args]

    def wrap(
        self, argv: Sequence[str], cpu: int | None = None, *, workdir_writable: bool = True
    ) -> list[str]:
        """The full command line that runs ``argv`` under every available layer.

        ``workdir_writable=False`` binds the workdir read-only (under bubblewrap): the child
        can then write only to its private, size-limited /tmp and /dev/shm (``TMPDIR`` is
        /tmp), so all it writes is bounded in total. A child that leaves its results in
        files needs a writable workdir; what it writes there is bounded by
        ``RLIMIT_FSIZE`` per file and, for candidate code, by its seccomp profile (a
        measured execution creates no files at all)."""
        lim = self.limits
        inner: list[str] = [
            "prlimit",
            f"--cpu={lim.cpu_s}",
            f"--as={lim.memory_mb * MB}",
            f"--fsize={lim.fsize_mb * MB}",
            f"--nofile={lim.nofile}",
            "--core=0",
        ]
        if self.uid is not None:
            inner.append(f"--nproc={lim.nproc}")
        inner.append("--")
        if cpu is not None and shutil.which("taskset"):
            inner += ["taskset", "-c", str(cpu)]
        if self.uid is not None:
            inner += [
                "setpriv",
                f"--reuid={self.uid}",
                f"--regid={self.uid}",
                "--clear-groups",
                "--bounding-set=-all",
                "--inh-caps=-all",
                "--",
            ]
        inner += list(argv)
        mode = self.isolation.mode
        env = {
            **SAFE_ENV,
            "HOME": str(self.workdir),
            "TMPDIR": str(SCRATCH_DIRS[0]) if mode == "bwrap" else str(self.workdir),
            seccomp.ENV: "required" if self.isolation.seccomp else "off",
        }
        if mode == "bwrap":
            outer = [
                "bwrap",
                *_allowlist(self.workdir, workdir_writable, lim.tmpfs_mb * MB),
                "--chdir", str(self.workdir),
                "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--die-with-parent", "--new-session", "--clearenv",
            ]  # fmt: skip
            for key, value in env.items():
                outer += ["--setenv", key, value]
            command = [*outer, "--", *inner]
        else:
            command = ["env", "-i", *(f"{k}={v}" for k, v in env.items()), *inner]
            if mode == "unshare":
                flags = ["-n"] if os.geteuid() == 0 else ["-rn"]
                command = ["unshare", *flags, "--", *command]
        if self.cgroup is not None:
            # the first process joins the sandbox's memory cgroup before it becomes the
            # sandbox; everything it starts stays in the group
            join = 'echo $$ > "$0" && exec "$@"'
            command = ["/bin/sh", "-c", join, str(self.cgroup.procs), *command]
        return command

    def popen(
        self, argv: Sequence[str], *, cpu: int | None = None, workdir_writable: bool = False
    ) -> SandboxProcess:
        """Start a child with pipes on stdin/stdout/stderr, in its own process group.

        A long-lived child talks over its pipes, so by default its workdir is read-only
        (see :meth:`wrap`); :meth:`run` gives one a writable workdir for its results."""
        popen = subprocess.Popen(
            self.wrap(argv, cpu=cpu, workdir_writable=workdir_writable),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.workdir,
            env={**SAFE_ENV, "HOME": str(self.workdir)},
            start_new_session=True,
            close_fds=True,
        )
        process = SandboxProcess(popen, self)
        self._processes.append(process)
        return process

    def run(
        self,
        argv: Sequence[str],
        *,
        stdin: bytes = b"",
        timeout: float | None = None,
        cpu: int | None = None,
    ) -> RunResult:
        """Run to completion (or the wall-clock limit), capturing bounded output."""
        process = self.popen(argv, cpu=cpu, workdir_writable=True)
        deadline = time.monotonic() + (timeout if timeout is not None else self.limits.wall_s)
        stdout, stderr, truncated, timed_out = _communicate(
            process.popen, stdin, deadline, self.limits.max_output_bytes
        )
        if not timed_out and not process.wait_exit(max(0.1, deadline - time.monotonic())):
            timed_out = True
        # the exit status is kept: killpg only takes down what the child left running
        process.kill()
        wall = time.monotonic() - process.started
        self._processes.remove(process)
        returncode = process.popen.returncode if process.popen.returncode is not None else -9
        return RunResult(returncode, stdout, stderr, timed_out, wall, truncated)

    def reap_uid(self) -> None:
        """Kill anything still running under the sandbox's own user id (forks that escaped
        the process group). Inside a pid namespace nothing can escape, so this is a backstop."""
        if self.uid is None or self.isolation.pid_namespace:
            return
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                ["kill", "-KILL", "-1"],
                user=self.uid,
                group=self.uid,
                extra_groups=[],
                capture_output=True,
                timeout=10,
            )


def _communicate(
    popen: subprocess.Popen[bytes], stdin: bytes, deadline: float, limit: int
) -> tuple[bytes, bytes, bool, bool]:
    """Feed stdin and collect stdout/stderr up to ``limit`` bytes each, until EOF or deadline."""
    assert popen.stdin and popen.stdout and popen.stderr
    selector = selectors.DefaultSelector()
    buffers = {popen.stdout.fileno(): bytearray(), popen.stderr.fileno(): bytearray()}
    truncated = False
    pending = memoryview(stdin)
    if pending:
        os.set_blocking(popen.stdin.fileno(), False)
        selector.register(popen.stdin, selectors.EVENT_WRITE)
    else:
        popen.stdin.close()
    selector.register(popen.stdout, selectors.EVENT_READ)
    selector.register(popen.stderr, selectors.EVENT_READ)
    open_readers = 2
    try:
        while open_readers:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return (
                    bytes(buffers[popen.stdout.fileno()]),
                    bytes(buffers[popen.stderr.fileno()]),
                    truncated,
                    True,
                )
            for key, _ in selector.select(timeout=min(remaining, 1.0)):
                if key.fileobj is popen.stdin:
                    try:
                        written = os.write(key.fd, pending[:65536])
                    except (BrokenPipeError, OSError):
                        written = len(pending)
                    pending = pending[written:]
                    if not pending:
                        selector.unregister(popen.stdin)
                        popen.stdin.close()
                    continue
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    open_readers -= 1
                    continue
                buffer = buffers[key.fd]
                room = limit - len(buffer)
                if room > 0:
                    buffer += chunk[:room]
                if len(chunk) > room:
                    truncated = True
    finally:
        selector.close()
    return (
        bytes(buffers[popen.stdout.fileno()]),
        bytes(buffers[popen.stderr.fileno()]),
        truncated,
        False,
    )
