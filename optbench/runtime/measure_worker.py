"""The benchmark script that runs inside the sandbox (never imported by the harness).

Two modes, both reading ``job.json`` written by the harness into the sandbox dir:

``measure_worker.py probe JOB RESULT``
    One execution of the code on the workload: writes the digest of the output, the
    encoded output itself (or the error), its CPU time and the memory it added to its
    process's resident set, all read by the trusted parent of the child that ran it.

``measure_worker.py count JOB RESULT``
    The same execution in the script's own process, for a count of its instructions
    under valgrind (:mod:`optbench.measure.instructions`), which sees the whole process;
    under the filter's ``counted`` profile, the one valgrind can load.

``measure_worker.py --job JOB --digests FILE --loops=1 <pyperf options>``
    A pyperf benchmark of the same execution. Every timed value (warmups included) is
    one execution in its own child and appends the digest of the output it produced to
    ``FILE``, so the harness can check that the code computed the same thing when timed
    as when probed. Any other ``--loops`` is refused (:data:`ONE_EXECUTION`).

Either way the code runs only in children forked from this script's process
(:mod:`optbench.runtime.child`), which reads their clock and memory from the kernel and
computes every digest; nothing the code's process says about time or memory is believed.

The code runs under the kernel's system-call filter in its ``measured`` profile
(:mod:`optbench.runtime.seccomp`: no processes, programs, sockets, signals to others, and
no file created, written, renamed or touched), installed in the process before the code
loads, and under :mod:`optbench.runtime.guard`, which names what the code attempted: that
is written to ``violation.txt`` in the sandbox dir by the trusted parent.

Only the standard library, pyperf, :mod:`optbench.codec` and :mod:`optbench.runtime` (with
pyseccomp, for the filter) are imported here; the script runs as ``python -P -s -B`` (see
:func:`optbench.measure.runs.interpreter`).
"""

from __future__ import annotations

import ast
import contextlib
import copy
import functools
import gc
import hashlib
import importlib
import json
import marshal
import os
import sys
import time
from time import thread_time as _thread_clock
from types import CodeType
from typing import Any, NoReturn

from optbench import codec
from optbench.runtime import child, guard, seccomp
from optbench.runtime.execution import (
    MAX_OUTPUT_BYTES,
    MODULE_NAME,
    OutputLimitExceeded,
    ProgramIO,
    Streams,
    call,
    cap_output,
    exec_program,
    fresh_namespace,
    load_entry,
    restore_output_limit,
)
from optbench.runtime.hide import hide_harness

CLOCK_FLOOR = 1e-9
"""pyperf refuses a value of zero."""
OUTCOME_LIMIT = child.MAX_REPORT_BYTES
"""Encoded outcomes larger than this are not sent back (the digest always is): the one
cap on what a child sends, so a tolerant comparison can always be decided."""
VIOLATION_FILE = "violation.txt"
"""Where a probe or a timed child writes what it attempted against the sandbox policy."""


class Job:
    def __init__(self, path: str) -> None:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        self.kind: str = data["kind"]
        self.entry_point: str | None = data.get("entry_point")
        self.compare_mode: str = data.get("compare_mode", "exact")
        self.compare_args: bool = bool(data.get("compare_args", True))
        """Whether a function's arguments after the call are part of its outcome."""
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

    def program_output(self) -> str:
        """What the last execution wrote to stdout; raises :class:`OutputLimitExceeded`
        past the one cap."""
        text, over = self.program_io().output()
        if over:
            raise OutputLimitExceeded(f"wrote more than {MAX_OUTPUT_BYTES} bytes to stdout")
        return text


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


def function_wire(value: Any, args: tuple[Any, ...] | None) -> dict[str, Any]:
    """A function's outcome; ``args`` None where the problem lets the arguments change
    (they are then neither compared nor part of the digest)."""
    after = None if args is None else codec.encode(list(args))
    return {"status": "ok", "value": codec.encode(value), "args_after": after}


def program_wire(stdout: str, exit_code: int) -> dict[str, Any]:
    return {"status": "exit", "stdout": stdout, "exit_code": exit_code}


# -- timing (pyperf) ----------------------------------------------------------------


class Timer:
    """``time_func(loops)`` for ``Runner.bench_time_func``, with ``loops`` always 1
    (:func:`time_main` refuses any other count, see :data:`ONE_EXECUTION`).

    The timed region is one execution: exec of the compiled module in a fresh namespace,
    then the call of the entry point on a fresh deep copy of the workload (functions), or
    the exec as ``__main__`` with fds 0 and 1 rewound onto the workload and an empty
    output (programs, see :class:`ProgramIO`). The copy, the namespace and the streams
    are prepared before the region starts.

    Every value runs in a child forked from this process, which never runs the code
    itself, so nothing the code does outlives the value: no state kept in ``builtins``,
    ``sys.modules`` or ``os.environ`` from an earlier value, no patched clock or patched
    pyperf. The child runs under the kernel's filter and :mod:`optbench.runtime.guard`
    (no file writes, no processes). The value is not the child's word: this process
    reads the child's CPU clock from the kernel around the region
    (:mod:`optbench.runtime.child`), counting every thread of the child, and refuses a
    value whose child used more CPU after its region than encoding its output can take
    (measured here, where no candidate code runs), or left a thread running. CPU time
    rather than wall time: on a shared machine wall time also counts the time the child
    waits for a core, which made the same code measure anywhere from 0.6x to 3x of itself
    under load.

    Modules the code's source names in its import statements are imported here before
    the first value, so every value finds them loaded, as it would in one long-lived
    process, and the first value is no colder than the others (no warmup value is needed
    for that); what a child imported at run time is not carried over (it would be a
    message from one value to the next).
    """

    def __init__(self, job: Job, digest_file: str, violation_file: str) -> None:
        self.job = job
        self.digest_file = digest_file
        self.violation_file = violation_file
        seccomp.prepare()  # here, not in each timed child: the library load is not timed
        # the modules the source names, decided by its text before anything runs (not
        # what a child reports having imported: that would be a message from the code)
        _preload(job.imports)
        self.costs = UntimedCosts(job)

    def __call__(self, loops: int) -> float:
        if loops != 1:
            raise ValueError(f"--loops={loops}: {ONE_EXECUTION}")
        gc.freeze()  # the child's collections must not walk (and so copy) the parent's heap
        try:
            run, excess = run_tried(self.job, self.costs)
        except child.ChildFailure as exc:
            self._fail(str(exc))
        report = self._report(run)
        if not run.finished:
            self._fail(f"ended inside its timed execution ({child.how_it_ended(run.status)})")
        if excess is not None:
            self._fail(f"{excess}, in each of {UNTIMED_ATTEMPTS} tries")
        wire = wire_of(self.job, report, run.payload)
        if wire is None:
            self._fail("sent a malformed report of its timed execution")
        if report.get("threads"):
            self._fail(f"left {str(report['threads'])[:20]} thread(s) running after its region")
        self._record(wire)
        return max(run.timed_s, CLOCK_FLOOR)

    def _report(self, run: child.ChildRun) -> dict[str, Any]:
        report = run.report or {}
        if report.get("violation") or (
            os.WIFEXITED(run.status) and os.WEXITSTATUS(run.status) == VIOLATION_EXIT
        ):
            self._fail(f"rejected: {report.get('violation') or 'broke the sandbox policy'}")
        if report.get("error"):
            self._fail(str(report["error"])[:500])
        if run.report is None:
            self._fail(f"ended without a result ({child.how_it_ended(run.status)})")
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


ONE_EXECUTION = (
    "one execution per timed value, each in its own fresh child, so that no state "
    "survives from one timed execution to the next (pass --loops=1)"
)
"""Why the worker refuses ``--loops`` other than 1: a later execution in the same process
could find the answer an earlier one left in state no one can enumerate (``os.environ``,
an interpreter setting) and forge a speedup of up to the number of loops."""
POST_SLACK_S = 0.002
"""CPU a child may spend after its region beyond :data:`UNTIMED_FACTOR` times what a
child running an empty module spends there and writing its larger output takes (see
:class:`UntimedCosts`)."""
UNTIMED_FACTOR = 2.5
"""Untimed work may take this multiple of what it took here: the child's copy-on-write
faults and cold caches make the same work slower there."""
COLD_FACTOR = 4.0
"""Writing a fresh output in a child costs more per byte than writing the workload here:
its memory is new (page faults) and cold."""
UNTIMED_ATTEMPTS = 3
"""Tries of a value whose child used more CPU after its region than allowed: honest code
exceeds now and then (see :func:`run_tried`), code that hides work there every time."""
VIOLATION_EXIT = 86
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


class UntimedCosts:
    """What a child's untimed work takes, measured in this process, where no candidate
    code runs (and in a child of it that runs an empty module). Each figure is measured
    the first time it is needed: most workers need only a few of them."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._rates: dict[bool, float] = {}

    @functools.cached_property
    def prepare_s(self) -> float:
        """CPU seconds of preparing one execution (copy of the workload, namespace, streams)."""
        for _ in range(2):
            _Prepared(self.job)
        start = _thread_clock()
        for _ in range(4):
            _Prepared(self.job)
        return (_thread_clock() - start) / 4

    def post(self, run: child.ChildRun) -> float:
        """CPU a child may spend after its region, given what it sent: what a child that
        ran an empty module spent there (the handshake, the count of its threads), plus
        writing the larger output."""
        base, base_bytes = self._empty
        rate = self._rate(marshalled=bool(run.payload)) * COLD_FACTOR
        extra = max(run.report_bytes - base_bytes, 0)
        return POST_SLACK_S + UNTIMED_FACTOR * (base + rate * extra)

    def excess(self, run: child.ChildRun) -> str | None:
        """What CPU the child spent after its region beyond what its own untimed work
        takes (None when nothing): work the code moved there (a region ended early by a
        forged token, a placeholder answer computed while encoded) would otherwise go
        uncounted."""
        allowed = self.post(run)
        if run.post_s > allowed:
            return (
                f"used {run.post_s:.4f} s of CPU after its timed region, more than "
                f"the {allowed:.4f} s that encoding its output takes "
                "(work hidden outside the timed region)"
            )
        return None

    @functools.cached_property
    def _empty(self) -> tuple[float, int]:
        return _empty_child(self.job)

    def _rate(self, marshalled: bool) -> float:
        """CPU seconds per byte of writing an output like the workload, marshalled or as
        JSON (the form of outputs marshal cannot write)."""
        if marshalled not in self._rates:
            job = self.job
            value = job.workload if job.kind == "function" else str(job.workload)
            start = _thread_clock()
            if marshalled:
                size = len(marshal.dumps(value))
            else:
                size = len(json.dumps(codec.encode(value), separators=(",", ":")))
            spent = (_thread_clock() - start) / max(size, 1)
            self._rates[marshalled] = max(spent, 1e-9 if marshalled else 2e-8)
        return self._rates[marshalled]


def run_tried(job: Job, costs: UntimedCosts) -> tuple[child.ChildRun, str | None]:
    """A child that runs the one timed execution, and the excess of its untimed CPU (None
    when within the allowance). The kernel now and then charges a process milliseconds
    it did not ask for (a page fault that compacts memory), so a child over its
    allowance is run again, up to :data:`UNTIMED_ATTEMPTS` times, before the excess is
    believed; one that failed otherwise is returned as it is. Raises
    :class:`child.ChildFailure`."""
    for _ in range(UNTIMED_ATTEMPTS):
        supervisor = child.fork_child(
            lambda channel: _timed_child(job, channel),
            keep=job.io.fds if job.io else (),
        )
        run = supervisor.follow()
        report = run.report or {}
        if not run.finished or report.get("error") or report.get("violation"):
            return run, None
        excess = costs.excess(run)
        if excess is None:
            return run, None
    return run, excess


def _empty_child(job: Job) -> tuple[float, int]:
    """(CPU after the region, bytes sent) of a child that runs an empty module on the
    workload."""
    if job.kind == "function":
        source = f"def {job.entry_point}(*args, **kwargs):\n    return None\n"
    else:
        source = ""
    empty = copy.copy(job)
    empty.code = compile(source, "<empty>", "exec")
    supervisor = child.fork_child(
        lambda channel: _timed_child(empty, channel),
        keep=job.io.fds if job.io else (),
    )
    try:
        run = supervisor.follow()
    except child.ChildFailure:
        return 0.0, 0
    return run.post_s, run.report_bytes


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


def _timed_child(job: Job, channel: child.Channel) -> NoReturn:
    """Body of the forked child: never returns (its parent kills it after its report)."""
    try:
        seccomp.enforce("measured")
    except seccomp.SeccompUnavailable as exc:
        channel.finish({"error": f"refusing to run the code: {exc}"})
    if job.io is not None:
        cap_output()  # for the child's life: it is killed after its report
    hide_harness()
    guard.install(None, lambda what: channel.finish({"violation": what}))
    payload = b""
    kept: list[Any] = []  # never freed: the parent kills the child after its report
    try:
        report, payload = _run_timed(job, channel, kept)
    except BaseException as exc:
        report = {"error": f"raises {_describe(exc)}"}
    channel.finish(report, payload)


def _run_timed(job: Job, channel: child.Channel, kept: list[Any]) -> tuple[dict[str, Any], bytes]:
    """Run the one execution as the timed region; the report and the output as a payload.
    Its inputs go to ``kept``: freeing the copy of the workload after the region would
    take time the parent counts against the code."""
    tasks, nap = os.listdir, time.sleep
    collect_on, collect_off = gc.enable, gc.disable
    function = job.kind == "function"
    collect_off()
    prepared = _Prepared(job)
    kept.append(prepared)
    collect_on()
    channel.start()
    outcome: Any = _run_function(job, prepared) if function else _run_program(job, prepared)
    channel.stop()
    collect_off()
    result = outcome if function else (job.program_output(), outcome)
    report: dict[str, Any] = {}
    payload = marshalled(result)
    if payload is None:
        if function:
            value, args = outcome
            report["wire"] = function_wire(value, args if job.compare_args else None)
        else:
            report["wire"] = program_wire(*result)
    threads = len(tasks("/proc/self/task"))
    pause = 0.002
    while threads > 1 and pause < 0.1:  # a joined thread's task can outlive join() a moment
        nap(pause)
        pause *= 2
        threads = len(tasks("/proc/self/task"))
    report["threads"] = threads - 1
    return report, payload or b""


def marshalled(result: Any) -> bytes | None:
    """The output as :mod:`marshal` writes it (builtin types only, an order of magnitude
    faster to write than :func:`function_wire`'s JSON, and the child's time after its
    last region is bounded by what that takes); None for anything else."""
    try:
        return marshal.dumps(result)
    except (ValueError, TypeError, RecursionError):
        return None


def wire_of(job: Job, report: dict[str, Any], payload: bytes) -> dict[str, Any] | None:
    """The outcome a child sent, decoded here (in the parent): from its marshalled
    payload, or the JSON wire it sent instead; None when malformed."""
    if not payload:
        wire = report.get("wire")
        return wire if isinstance(wire, dict) else None
    try:
        first, second = marshal.loads(payload)
    except Exception:
        return None
    if job.kind == "function":
        try:
            return function_wire(first, tuple(second) if job.compare_args else None)
        except Exception:
            return None
    if not isinstance(first, str) or not isinstance(second, int):
        return None
    return program_wire(first, second)


class _Prepared:
    """What one execution needs, made before its timed region: a fresh copy of the
    workload (functions) or text streams over fds 0 and 1 (programs), and a fresh
    namespace, which the execution takes, so that this holds no reference to it."""

    def __init__(self, job: Job) -> None:
        function = job.kind == "function"
        self.args: Any = fresh_copy(job.workload) if function else ()
        self.streams: Streams | None = None if function else job.program_io().streams()
        self.namespace: dict[str, Any] | None = fresh_namespace(
            MODULE_NAME if function else "__main__"
        )

    def take_namespace(self) -> dict[str, Any]:
        namespace, self.namespace = self.namespace, None
        assert namespace is not None, "a prepared execution runs once"
        return namespace


def _run_function(job: Job, prepared: _Prepared) -> tuple[Any, Any]:
    """Load the module in its namespace and call the entry point on the copy of the
    workload (:mod:`optbench.runtime.execution`); the value and the arguments after."""
    entry = job.entry_point
    assert entry is not None
    namespace = prepared.take_namespace()
    value = call(load_entry(job.code, namespace, entry), prepared.args)
    return value, prepared.args


def _run_program(job: Job, prepared: _Prepared) -> int:
    """Run the program on fds 0 and 1 rewound onto the workload and an empty output
    (:func:`optbench.runtime.execution.exec_program`); its exit status."""
    assert prepared.streams is not None
    namespace = prepared.take_namespace()  # freed when it ends, while timed
    return exec_program(job.code, job.program_io(), prepared.streams, namespace)


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
    if args.loops != 1 or args.recalibrate_loops:
        # before any worker starts: pyperf's default, 0, would calibrate a loop count
        print(f"measure_worker: --loops={args.loops} refused: {ONE_EXECUTION}", file=sys.stderr)
        raise SystemExit(2)
    if not args.worker:
        # The manager only spawns workers: the workload is loaded where it is timed.
        runner.bench_time_func("code", _unused)
        return
    _skip_worker_metadata()
    violations = os.path.join(os.path.dirname(os.path.abspath(args.digests)), VIOLATION_FILE)
    timer = Timer(Job(args.job), args.digests, violations)
    runner.bench_time_func("code", timer)


def _skip_worker_metadata() -> None:
    """pyperf describes the machine again in every worker process (about 85 ms each, a
    third of a quick-profile worker's own cost); optbench records the machine once per
    measurement (:mod:`optbench.measure.machine`) and reads only the values."""
    from pyperf import _worker

    task = getattr(_worker, "WorkerProcessTask", None)
    if task is not None and hasattr(task, "collect_metadata"):
        task.collect_metadata = lambda self: {}


def _unused(loops: int) -> float:
    raise AssertionError("the pyperf manager never times")


# -- probe: output, errors and peak memory ------------------------------------------


def probe(job_path: str, result_path: str) -> None:
    """One execution of the code on the workload in a forked child, as one timed value:
    the output, the CPU time and the memory the execution added to the child's resident
    set, all read by this process, which never runs the code."""
    try:
        job = Job(job_path)
    except Exception as exc:
        _write(result_path, {"error": f"cannot load the code: {_describe(exc)}"})
        return
    seccomp.prepare()
    costs = UntimedCosts(job)
    try:
        run, excess = run_tried(job, costs)
    except child.ChildFailure as exc:
        _write_violation(str(exc))
        return
    report = run.report or {}
    violation = report.get("violation")
    if violation or (os.WIFEXITED(run.status) and os.WEXITSTATUS(run.status) == VIOLATION_EXIT):
        _write_violation(f"rejected: {violation or 'broke the sandbox policy'}")
        return
    if report.get("error"):
        _write(result_path, {"error": str(report["error"])[:500]})
        return
    wire = wire_of(job, report, run.payload)
    if run.report is None or not run.finished or wire is None:
        _write(result_path, {"error": f"ended without a result ({child.how_it_ended(run.status)})"})
        return
    if excess is not None:
        _write_violation(f"{excess}, in each of {UNTIMED_ATTEMPTS} tries")
        return
    encoded = json.dumps(wire, separators=(",", ":"))
    _write(
        result_path,
        {
            "error": None,
            "elapsed": max(run.timed_s, CLOCK_FLOOR),
            "setup_s": costs.prepare_s,
            # the kernel counts resident memory in pages: an execution that adds none
            # is one page, so that ratios stay defined
            "peak_bytes": max(run.peak_bytes, PAGE_BYTES),
            "hwm_bytes": run.hwm,
            "digest": output_digest(wire, job.compare_mode),
            "outcome": encoded if len(encoded) <= OUTCOME_LIMIT else None,
        },
    )


def count_probe(job_path: str, result_path: str) -> None:
    """One execution in this very process, for a count of its instructions under
    valgrind, which sees every instruction the process executes (forking a child would
    hide the execution from the count): writes the digest and the encoded output."""
    try:
        job = Job(job_path)
    except Exception as exc:
        _write(result_path, {"error": f"cannot load the code: {_describe(exc)}"})
        return
    result_fd = os.open(result_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    violation_fd = os.open(VIOLATION_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    write, exit_now = os.write, os._exit

    def on_violation(what: str) -> None:
        with contextlib.suppress(BaseException):
            write(violation_fd, f"\nrejected: {what}\n".encode())
        exit_now(VIOLATION_EXIT)

    result: dict[str, Any]
    try:
        seccomp.enforce("counted")  # valgrind loads this one (see the profile)
        hide_harness()
        guard.install(None, on_violation)
        if job.kind == "function":
            value, args = _run_function(job, _Prepared(job))
            wire = function_wire(value, args if job.compare_args else None)
        else:
            limit = cap_output()
            try:
                exit_status = _run_program(job, _Prepared(job))
            finally:
                restore_output_limit(limit)  # the result written next may be larger
            wire = program_wire(job.program_output(), exit_status)
        encoded = json.dumps(wire, separators=(",", ":"))
        result = {
            "error": None,
            "digest": output_digest(wire, job.compare_mode),
            "outcome": encoded if len(encoded) <= OUTCOME_LIMIT else None,
        }
    except BaseException as exc:
        result = {"error": f"raises {_describe(exc)}"}
    data = json.dumps(result).encode()
    while data:
        data = data[write(result_fd, data) :]


def _write_violation(message: str) -> None:
    with open(VIOLATION_FILE, "a", encoding="utf-8") as handle:
        handle.write(message + "\n")


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
    if len(sys.argv) == 4 and sys.argv[1] == "probe":
        probe(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "count":
        count_probe(sys.argv[2], sys.argv[3])
    else:
        time_main()
