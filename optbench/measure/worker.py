"""The benchmark script that runs inside the sandbox (never imported by the harness).

Two modes, both reading ``job.json`` written by the harness into the sandbox dir:

``worker.py probe JOB RESULT plain|traced``
    One execution of the code on the workload: writes the digest of the output, the
    encoded output itself (or the error), the wall time and the process's own
    ``VmHWM``; ``traced`` runs it under ``tracemalloc`` and adds the peak of traced
    memory during exec + call (its VmHWM then includes tracemalloc's own tables).

``worker.py --job JOB --digests FILE <pyperf options>``
    A pyperf benchmark of the same execution. Every timed value (warmups included)
    appends the digest of the output it produced to ``FILE``, so the harness can check
    that the code computed the same thing when timed as when probed. Each value runs in a
    forked child of the pyperf worker (see :class:`Timer`).

The code runs under the kernel's system-call filter in its ``measured`` profile
(:mod:`optbench.runtime.seccomp`: no processes, programs, sockets, signals to others, and
no file created, written, renamed or touched), installed in the process before the code
loads, and under :mod:`optbench.runtime.guard`, which names what the code attempted: that
is written to ``violation.txt`` in the sandbox dir before the process exits with status 86.

Only the standard library, pyperf, :mod:`optbench.codec` and :mod:`optbench.runtime` (with
pyseccomp, for the filter) are imported here; the script runs as ``python -P -s -B`` (see
:func:`optbench.measure.runs.interpreter`).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import copy
import fcntl
import gc
import hashlib
import importlib
import io
import json
import math
import os
import signal
import sys
import time
import types
from collections.abc import Callable
from time import perf_counter as _perf_counter
from time import process_time as _cpu_clock
from time import thread_time as _thread_clock
from types import CodeType
from typing import Any, NoReturn

from optbench import codec
from optbench.runtime import guard, seccomp
from optbench.runtime.outcome import consume

MODULE_NAME = "solution"
CLOCK_FLOOR = 1e-9
"""The CPU clock advances in steps of about a microsecond: a region shorter than that
reads as zero, which pyperf refuses."""
OUTCOME_LIMIT = 1_000_000
"""Encoded outcomes larger than this are not sent back (the digest always is)."""
BATCH = 64
"""Workload copies (and namespaces) prepared at once, outside the timed region; bounds
the memory that a calibration with many loops would otherwise take."""
VIOLATION_FILE = "violation.txt"
"""Where a probe or a timed child writes what it attempted against the sandbox policy."""


class Job:
    def __init__(self, path: str) -> None:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        self.kind: str = data["kind"]
        self.entry_point: str | None = data.get("entry_point")
        self.compare_mode: str = data.get("compare_mode", "exact")
        with open(data["code_file"], encoding="utf-8") as handle:
            source = handle.read()
        self.code: CodeType = compile(source, data["code_file"], "exec")
        self.imports: list[str] = static_imports(source)
        self.workload: Any = codec.decode(data["workload"])
        self.io = ProgramIO(str(self.workload).encode()) if self.kind == "program" else None

    def program_io(self) -> ProgramIO:
        if self.io is None:
            raise TypeError("a function problem has no program I/O")
        return self.io


class ProgramIO:
    """Standard input and output of a program at the file-descriptor level: fd 0 reads
    the workload from its start and fd 1 writes into an in-memory file, so
    ``open(0).read()``, ``os.read(0, n)`` and ``os.write(1, ...)`` see the same streams as
    ``sys.stdin`` and ``sys.stdout``. Made before the code runs (and before the guard is
    installed); the input is sealed, so no execution can change what the next one reads."""

    def __init__(self, data: bytes) -> None:
        stdin = os.memfd_create("optbench-stdin", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
        view = memoryview(data)
        while view:
            view = view[os.write(stdin, view) :]
        seals = fcntl.F_SEAL_WRITE | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_SEAL
        fcntl.fcntl(stdin, fcntl.F_ADD_SEALS, seals)
        self.stdin_fd = _high_fd(stdin)
        self.stdout_fd = _high_fd(os.memfd_create("optbench-stdout", os.MFD_CLOEXEC))

    @property
    def fds(self) -> tuple[int, int]:
        return self.stdin_fd, self.stdout_fd

    def streams(self) -> tuple[io.TextIOWrapper, io.TextIOWrapper]:
        """Text streams over fds 0 and 1 for one execution (made outside the timed region)."""
        stdin = io.TextIOWrapper(
            io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8"
        )
        stdout = io.TextIOWrapper(
            io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8"
        )
        return stdin, stdout

    def rewind(self) -> None:
        """fd 0 at the start of the input, fd 1 an empty output: a few system calls,
        inside the timed region (the code may have closed or moved either)."""
        os.dup2(self.stdin_fd, 0)
        os.lseek(0, 0, os.SEEK_SET)
        os.dup2(self.stdout_fd, 1)
        os.ftruncate(1, 0)
        os.lseek(1, 0, os.SEEK_SET)

    def output(self) -> str:
        size = os.fstat(self.stdout_fd).st_size
        if size > MAX_PROGRAM_OUTPUT:
            raise OutputTooLarge(f"wrote {size} bytes to stdout (limit {MAX_PROGRAM_OUTPUT})")
        return os.pread(self.stdout_fd, size, 0).decode("utf-8", errors="replace")


class OutputTooLarge(Exception):
    """A program wrote more than :data:`MAX_PROGRAM_OUTPUT` bytes."""


MAX_PROGRAM_OUTPUT = 64 * 1024 * 1024


def _high_fd(fd: int) -> int:
    """``fd`` moved above 2 (fds 0 and 1 are rebound for every execution)."""
    if fd > 2:
        return fd
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
    os.close(fd)
    return high


def output_digest(wire: dict[str, Any], compare_mode: str) -> str:
    """sha256 of the canonical JSON of the outcome, normalised as the comparison policy
    allows (whitespace for ``stdout_ws``, top-level order for ``unordered``)."""
    data = dict(wire)
    if "stdout" in data and compare_mode == "stdout_ws":
        data["stdout"] = " ".join(str(data["stdout"]).split())
    if compare_mode == "unordered" and "value" in data:
        data["value"] = _unordered(data.get("value"))
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _unordered(encoded: Any) -> Any:
    def key(item: Any) -> str:
        return json.dumps(item, sort_keys=True)

    if isinstance(encoded, list):
        return sorted(encoded, key=key)
    if isinstance(encoded, dict) and isinstance(encoded.get("$tuple"), list):
        return {"$tuple": sorted(encoded["$tuple"], key=key)}
    return encoded


def function_wire(value: Any, args: tuple[Any, ...]) -> dict[str, Any]:
    return {"status": "ok", "value": codec.encode(value), "args_after": codec.encode(list(args))}


def program_wire(stdout: str, exit_code: int) -> dict[str, Any]:
    return {"status": "exit", "stdout": stdout, "exit_code": exit_code}


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _fresh_namespace(name: str) -> dict[str, Any]:
    return {"__name__": name, "__builtins__": builtins}


# -- timing (pyperf) ----------------------------------------------------------------


class Timer:
    """``time_func(loops)`` for ``Runner.bench_time_func``.

    The timed region of one loop is: exec of the compiled module in a fresh namespace,
    then the call of the entry point on a fresh deep copy of the workload (functions),
    or the exec as ``__main__`` with fds 0 and 1 rewound onto the workload and an empty
    output (programs, see :class:`ProgramIO`). Copies, namespaces and streams are
    prepared before the clock starts.

    The clock is CPU time, not wall time: on a shared machine wall time also counts the
    time the worker waits for a core, which made the same code measure anywhere from 0.6x
    to 3x of itself under load. It is the CPU time of the timing thread
    (``time.thread_time``), because the sandbox's ``RLIMIT_CPU`` arms the kernel's
    process-wide CPU timer, and while it is armed the process clock
    (``time.process_time``) only advances at scheduler ticks (4 ms here): a region
    shorter than a tick read as zero. The process clock, coarse as it is, still bounds
    what the code's other threads did while timed.

    Every call (one pyperf value) runs in a child forked from this process, which never
    runs the code itself, so nothing the code does outlives the value: no state kept in
    ``builtins`` or ``sys.modules`` from an earlier value, no patched clock or patched
    pyperf. The child runs under :mod:`optbench.runtime.guard` with no file writes and no
    processes (so no results cached on disk, no work moved to another process); the
    parent reads the child's CPU time from the kernel (``wait4``) and rejects a value
    whose reported timed region leaves more of that CPU time unaccounted for than the
    untimed work (copies, encoding the output) can take. Modules the code's source names
    in its import statements are imported here before the first value, so values find them
    loaded, as they would in one long-lived process; what a child imported at run time is
    not carried over (it would be a message from one value to the next).
    """

    def __init__(self, job: Job, digest_file: str, violation_file: str) -> None:
        self.job = job
        self.digest_file = digest_file
        self.violation_file = violation_file
        self.copy_s = _copy_cost(job)
        self.preloaded = False
        seccomp.prepare()  # here, not in each timed child: the library load is not timed

    def __call__(self, loops: int) -> float:
        read_fd, write_fd = os.pipe()
        gc.freeze()  # the child's collections must not walk (and so copy) the parent's heap
        try:
            pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                _timed_child(self.job, loops, write_fd)
            os.close(write_fd)
            write_fd = -1
            data = _read_all(read_fd)
            _, status, usage = os.wait4(pid, 0)
        finally:
            os.close(read_fd)
            if write_fd >= 0:
                os.close(write_fd)
        used = usage.ru_utime + usage.ru_stime
        report = self._report(data, status)
        try:
            elapsed = float(report["elapsed"])
            wire_json = str(report["wire"])
            wire = json.loads(wire_json)
            if not isinstance(wire, dict) or not math.isfinite(elapsed):
                raise ValueError("not an outcome")
        except (TypeError, ValueError, RecursionError):
            self._fail("sent a malformed report of its timed execution")
        allowance = (
            CHILD_ALLOWANCE_S
            + UNTIMED_SHARE * elapsed
            + 3 * self.copy_s * loops
            + ENCODE_S_PER_BYTE * len(wire_json)
        )
        if not 0 <= elapsed <= used + CLOCK_SLACK_S or used - elapsed > allowance:
            self._fail(
                f"reported {elapsed:.4f} s of CPU time for its timed region but its process "
                f"used {used:.4f} s, more than the {allowance:.4f} s its untimed work may take "
                f"({loops} loops; work hidden outside the timed region or a tampered clock)"
            )
        if report.get("state"):
            self._fail(f"left state behind between executions: {report['state']}")
        self._record(wire)
        if not self.preloaded:
            # what the source names, not what the child reports having imported: the set
            # of modules loaded for later values must not be a message from the code
            self.preloaded = True
            _preload(self.job.imports)
        return max(elapsed, CLOCK_FLOOR)

    def _report(self, data: bytes, status: int) -> dict[str, Any]:
        """The child's report: its last line (the code may have written to the pipe too)."""
        lines = [line for line in data.splitlines() if line.strip()]
        report: Any = None
        if lines:
            with contextlib.suppress(ValueError):
                report = json.loads(lines[-1])
        if not isinstance(report, dict):
            report = {}
        if report.get("violation") or (
            os.WIFEXITED(status) and os.WEXITSTATUS(status) == VIOLATION_EXIT
        ):
            self._fail(f"rejected: {report.get('violation') or 'broke the sandbox policy'}")
        if report.get("error"):
            self._fail(str(report["error"]))
        if "elapsed" not in report or "wire" not in report:
            self._fail(f"ended without a result ({_how(status)})")
        return report

    def _fail(self, message: str) -> NoReturn:
        with open(self.violation_file, "a", encoding="utf-8") as handle:
            handle.write(message + "\n")
        raise CandidateFailure(message)

    def _record(self, wire: dict[str, Any]) -> None:
        digest = output_digest(wire, self.job.compare_mode)
        with open(self.digest_file, "a", encoding="utf-8") as handle:
            handle.write(digest + "\n")


class CandidateFailure(Exception):
    """The timed code failed, broke the sandbox policy or misreported its time."""


CHILD_ALLOWANCE_S = 0.02
"""CPU time a timed child may spend outside its timed region beyond copying the workload
and encoding the output: fork, namespaces, the guard, exit."""
UNTIMED_SHARE = 0.5
"""Untimed CPU allowed per second of timed CPU: freeing what the executions built, and
garbage collections that fall outside the timed region."""
ENCODE_S_PER_BYTE = 2e-6
CLOCK_SLACK_S = 0.002
OTHER_THREADS_SLACK_S = 0.012
"""Three ticks of the coarse process clock (see :class:`Timer`)."""
VIOLATION_EXIT = 86
MAX_REPORT_BYTES = 64 * 1024 * 1024


def _copy_cost(job: Job) -> float:
    """CPU seconds of one deep copy of the workload (measured here, where no candidate
    code runs)."""
    if job.kind != "function":
        return 0.0
    start = _thread_clock()
    for _ in range(3):
        fresh_copy(job.workload)
    return (_thread_clock() - start) / 3


def fresh_copy(value: Any) -> Any:
    """A deep copy of a decoded workload (builtin types, no shared or cyclic parts, as
    :func:`optbench.codec.decode` builds them). Unlike ``copy.deepcopy`` it never calls
    ``id()``, an audited event: under the guard every audited event costs a call of its
    hook, which made copying several times slower in a timed child."""
    kind = type(value)
    if kind is list:
        if _all_immutable(value):
            return value[:]
        return [fresh_copy(item) for item in value]
    if kind is tuple:
        if _all_immutable(value):
            return value
        return tuple([fresh_copy(item) for item in value])
    if kind is dict:
        return {key: fresh_copy(item) for key, item in value.items()}
    if kind is set:
        return set(value)
    if kind is bytearray:
        return bytearray(value)
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value)


_IMMUTABLE = frozenset({int, float, complex, str, bytes, bool, type(None), frozenset, range})


def _all_immutable(items: list[Any] | tuple[Any, ...]) -> bool:
    """Whether a shallow copy is a deep one (a flat list of numbers or strings: the
    common workload, copied an order of magnitude faster this way)."""
    immutable = _IMMUTABLE
    return all(type(item) in immutable for item in items)


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_REPORT_BYTES:
            return b""
        chunks.append(chunk)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def static_imports(source: str) -> list[str]:
    """The absolute module names ``source``'s import statements name (anywhere in it),
    with their parent packages: decided by the text before anything runs."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    names: set[str] = set()
    for node in ast.walk(tree):
        found: list[str] = []
        if isinstance(node, ast.Import):
            found = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found = [node.module]
        for name in found:
            parts = name.split(".")
            names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return sorted(names)


def _preload(names: Any) -> None:
    """Import (here, in the parent, before the timed children fork) the modules the code
    names, so later values find them loaded as one long-lived process would."""
    if not isinstance(names, list):
        return
    for name in names[:2000]:
        if (
            isinstance(name, str)
            and name not in sys.modules
            and all(part.isidentifier() for part in name.split("."))
            and name.split(".")[0] not in _NO_PRELOAD
        ):
            with contextlib.suppress(BaseException):
                importlib.import_module(name)


_NO_PRELOAD = frozenset({"antigravity", "this", "__hello__", "__phello__", MODULE_NAME, "__main__"})


def _timed_child(job: Job, loops: int, out_fd: int) -> NoReturn:
    """Body of the forked child: never returns. Its only open files besides fds 0-2 are
    the pipe its report goes to (one JSON line) and a program's input and output."""
    write, exit_now, dumps = os.write, os._exit, json.dumps
    try:
        keep = sorted({out_fd, *(job.io.fds if job.io else ())})
        low = 3
        for fd in keep:
            os.closerange(low, fd)
            low = fd + 1
        os.closerange(low, 65536)

        def on_violation(what: str) -> None:
            with contextlib.suppress(BaseException):
                write(out_fd, b"\n" + dumps({"violation": what}).encode() + b"\n")
            exit_now(VIOLATION_EXIT)

        try:
            seccomp.enforce("measured")
        except seccomp.SeccompUnavailable as exc:
            report = {"error": f"refusing to run the code: {exc}"}
        else:
            guard.install(None, on_violation)
            report = _run_timed(job, loops)
    except BaseException as exc:
        report = {"error": f"raises {_describe(exc)}"}
    try:
        data = b"\n" + dumps(report, separators=(",", ":")).encode() + b"\n"
        while data:
            data = data[write(out_fd, data) :]
    finally:
        exit_now(0)


def _run_timed(job: Job, loops: int) -> dict[str, Any]:
    clock, process_clock, tasks, nap = _thread_clock, _cpu_clock, os.listdir, time.sleep
    before = _State.take()
    run = _function_batch if job.kind == "function" else _program_batch
    elapsed = 0.0
    wire: dict[str, Any] = {}
    remaining = loops
    process_start, thread_start = process_clock(), clock()
    while remaining > 0:
        batch = min(remaining, BATCH)
        spent, wire = run(job, batch, clock)
        elapsed += spent
        remaining -= batch
    others = (process_clock() - process_start) - (clock() - thread_start)
    if others > OTHER_THREADS_SLACK_S + 0.1 * elapsed:
        return {
            "violation": f"its other threads used {others:.3f} s of CPU while it was timed "
            f"for {elapsed:.3f} s in its own (work moved out of the timed thread)"
        }
    threads = len(tasks("/proc/self/task"))
    for _ in range(200):  # a joined thread's task can outlive join() by a moment
        if threads <= 1:
            break
        nap(0.001)
        threads = len(tasks("/proc/self/task"))
    changed = before.changes()
    if threads > 1:
        changed.append(f"{threads - 1} thread(s) still running")
    return {
        "elapsed": elapsed,
        "wire": json.dumps(wire, separators=(",", ":")),
        "state": "; ".join(changed),
    }


def _function_batch(
    job: Job, count: int, clock: Callable[[], float]
) -> tuple[float, dict[str, Any]]:
    code, entry = job.code, job.entry_point
    assert entry is not None
    copies = [fresh_copy(job.workload) for _ in range(count)]
    spaces = [_fresh_namespace(MODULE_NAME) for _ in range(count)]
    value: Any = None
    start = clock()
    for namespace, args in zip(spaces, copies, strict=True):
        exec(code, namespace)
        value = consume(namespace[entry](*args))
    elapsed = clock() - start
    return elapsed, function_wire(value, copies[-1])


def _program_batch(
    job: Job, count: int, clock: Callable[[], float]
) -> tuple[float, dict[str, Any]]:
    code = job.code
    program_io = job.program_io()
    streams = [program_io.streams() for _ in range(count)]
    spaces = [_fresh_namespace("__main__") for _ in range(count)]
    saved = sys.stdin, sys.stdout
    exit_code = 0
    try:
        start = clock()
        for namespace, streams_once in zip(spaces, streams, strict=True):
            exit_code = _exec_program(code, namespace, program_io, *streams_once)
        elapsed = clock() - start
    finally:
        sys.stdin, sys.stdout = saved
    return elapsed, program_wire(program_io.output(), exit_code)


def _exec_program(
    code: CodeType,
    namespace: dict[str, Any],
    program_io: ProgramIO,
    stdin: io.TextIOWrapper,
    stdout: io.TextIOWrapper,
) -> int:
    """One execution of a program as ``__main__`` on fresh fds 0 and 1; its exit status.
    The caller restores ``sys.stdin`` and ``sys.stdout``."""
    program_io.rewind()
    sys.stdin, sys.stdout = stdin, stdout
    exit_code = 0
    try:
        exec(code, namespace)
    except SystemExit as exc:
        exit_code = _exit_code(exc.code)
    with contextlib.suppress(ValueError):  # the program closed sys.stdout
        stdout.flush()
    return exit_code


class _State:
    """Where code could keep results from one execution for the next: new names in
    ``builtins`` or in modules that were already loaded, entries of ``sys.modules`` that
    are not modules. A seat-belt, not a proof: mutable objects that
    already exist can hold anything."""

    def __init__(self) -> None:
        self.builtins = dict(vars(builtins))
        self.modules = set(sys.modules)
        self.module_keys = {
            name: set(vars(module))
            for name, module in list(sys.modules.items())
            if isinstance(getattr(module, "__dict__", None), dict)
        }

    @classmethod
    def take(cls) -> _State:
        return cls()

    def changes(self) -> list[str]:
        found: list[str] = []
        added = [k for k in vars(builtins) if k not in self.builtins]
        replaced = [
            k
            for k, v in self.builtins.items()
            if k in vars(builtins) and vars(builtins)[k] is not v
        ]
        if added or replaced:
            found.append(f"builtins changed: {sorted(added + replaced)[:5]}")
        odd = [
            name
            for name, module in list(sys.modules.items())
            if name not in self.modules and not isinstance(module, types.ModuleType)
        ]
        if odd:
            found.append(f"non-module entries in sys.modules: {sorted(odd)[:5]}")
        for name, keys in self.module_keys.items():
            if name == "builtins":
                continue
            module = sys.modules.get(name)
            namespace = getattr(module, "__dict__", None)
            if not isinstance(namespace, dict):
                continue
            new = [
                k
                for k in list(namespace)
                if k not in keys
                and not (isinstance(k, str) and k.startswith("__"))
                and not isinstance(namespace.get(k), types.ModuleType)
            ]
            if new:
                found.append(f"new attributes of module {name}: {sorted(map(str, new))[:5]}")
                break
        return found


def time_main() -> None:
    import pyperf

    def forward(cmd: list[str], args: Any) -> None:
        cmd.extend(("--job", args.job, "--digests", args.digests))

    runner = pyperf.Runner(
        add_cmdline_args=forward,
        program_args=("-P", "-s", "-B", __file__),
    )
    runner.argparser.add_argument("--job", required=True)
    runner.argparser.add_argument("--digests", required=True)
    args = runner.parse_args()
    if not args.worker:
        # The manager only spawns workers: the workload is loaded where it is timed.
        runner.bench_time_func("code", _unused)
        return
    violations = os.path.join(os.path.dirname(os.path.abspath(args.digests)), VIOLATION_FILE)
    timer = Timer(Job(args.job), args.digests, violations)
    runner.bench_time_func("code", timer)


def _unused(loops: int) -> float:
    raise AssertionError("the pyperf manager never times")


# -- probe: output, errors and peak memory ------------------------------------------


def probe(job_path: str, result_path: str, traced: bool) -> None:
    try:
        job = Job(job_path)
    except Exception as exc:
        _write(result_path, {"error": f"cannot load the code: {_describe(exc)}"})
        return
    result_fd = os.open(result_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    violation_fd = os.open(VIOLATION_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    write, exit_now, dumps = os.write, os._exit, json.dumps

    def on_violation(what: str) -> None:
        with contextlib.suppress(BaseException):
            write(violation_fd, f"\nrejected: {what}\n".encode())
        exit_now(VIOLATION_EXIT)

    try:
        seccomp.enforce("measured")
    except seccomp.SeccompUnavailable as exc:
        result: dict[str, Any] = {"error": f"refusing to run the code: {exc}"}
    else:
        guard.install(None, on_violation)
        tracer = _Tracer(traced)
        run = _probe_function if job.kind == "function" else _probe_program
        result = run(job, tracer)
        result["vmhwm_bytes"] = _vmhwm_bytes()
    data = dumps(result).encode()
    while data:
        data = data[write(result_fd, data) :]


class _Tracer:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.peak: int | None = None

    def start(self) -> None:
        if self.enabled:
            import tracemalloc

            tracemalloc.start()

    def stop(self) -> None:
        if self.enabled:
            import tracemalloc

            self.peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()


def _probe_function(job: Job, tracer: _Tracer) -> dict[str, Any]:
    args = copy.deepcopy(job.workload)
    namespace = _fresh_namespace(MODULE_NAME)
    perf_counter = _perf_counter
    tracer.start()
    start = perf_counter()
    try:
        exec(job.code, namespace)
        entry = namespace.get(job.entry_point or "")
        if not callable(entry):
            raise LookupError(f"the code defines no function {job.entry_point!r}")
        value = consume(entry(*args))
    except BaseException as exc:
        tracer.stop()
        return {"error": f"raises {_describe(exc)}"}
    elapsed = perf_counter() - start
    tracer.stop()
    wire = function_wire(value, args)
    return _ok(job, wire, tracer.peak, elapsed)


def _probe_program(job: Job, tracer: _Tracer) -> dict[str, Any]:
    program_io = job.program_io()
    fin, fout = program_io.streams()
    namespace = _fresh_namespace("__main__")
    saved = sys.stdin, sys.stdout
    perf_counter = _perf_counter
    exit_code = 0
    error: str | None = None
    tracer.start()
    start = perf_counter()
    try:
        exit_code = _exec_program(job.code, namespace, program_io, fin, fout)
    except BaseException as exc:
        error = f"raises {_describe(exc)}"
    finally:
        sys.stdin, sys.stdout = saved
    elapsed = perf_counter() - start
    tracer.stop()
    if error is not None:
        return {"error": error}
    try:
        stdout = program_io.output()
    except OutputTooLarge as exc:
        return {"error": str(exc)}
    wire = program_wire(stdout, exit_code)
    return _ok(job, wire, tracer.peak, elapsed)


def _ok(job: Job, wire: dict[str, Any], peak: int | None, elapsed: float) -> dict[str, Any]:
    encoded = json.dumps(wire, separators=(",", ":"))
    return {
        "error": None,
        "tracemalloc_peak": peak,
        "elapsed": elapsed,
        "setup_s": _copy_cost(job),
        "digest": output_digest(wire, job.compare_mode),
        "outcome": encoded if len(encoded) <= OUTCOME_LIMIT else None,
    }


def _vmhwm_bytes() -> int | None:
    """Peak resident set of this process (reset at exec, unlike ru_maxrss of children)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _describe(exc: BaseException) -> str:
    try:
        message = str(exc)
    except BaseException:
        message = "<unprintable>"
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return " ".join(text.split())[:300]


def _write(path: str, data: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "probe":
        probe(sys.argv[2], sys.argv[3], traced=sys.argv[4] == "traced")
    else:
        time_main()
