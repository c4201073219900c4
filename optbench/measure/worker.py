"""The benchmark script that runs inside the sandbox (never imported by the harness).

Two modes, both reading ``job.json`` written by the harness into the sandbox dir:

``worker.py probe JOB RESULT plain|traced``
    One execution of the code on the workload: writes the digest of the output, the
    encoded output itself (or the error), the wall time and the process's own
    ``VmHWM``; ``traced`` runs it under ``tracemalloc`` and adds the peak of traced
    memory during exec + call (its VmHWM then includes tracemalloc's own tables).

``worker.py --job JOB --digests FILE <pyperf options>``
    A pyperf benchmark of the same execution. Every pyperf worker process appends the
    digest of the output it produced while being timed to ``FILE``, so the harness can
    check that the code computed the same thing when timed as when probed.

Only the standard library, pyperf and :mod:`optbench.codec` are imported here; the
script runs as ``python -P -s -B`` (see :func:`optbench.measure.runs.interpreter`).
"""

from __future__ import annotations

import builtins
import copy
import hashlib
import io
import json
import sys
from time import perf_counter as _perf_counter
from time import process_time as _cpu_clock
from types import CodeType
from typing import Any

from optbench import codec

MODULE_NAME = "solution"
CLOCK_FLOOR = 1e-9
"""The CPU clock advances in steps of about a microsecond: a region shorter than that
reads as zero, which pyperf refuses."""
OUTCOME_LIMIT = 1_000_000
"""Encoded outcomes larger than this are not sent back (the digest always is)."""
BATCH = 64
"""Workload copies (and namespaces) prepared at once, outside the timed region; bounds
the memory that a calibration with many loops would otherwise take."""


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
        self.workload: Any = codec.decode(data["workload"])


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


def _stdin(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def _stdout() -> tuple[io.TextIOWrapper, io.BytesIO]:
    raw = io.BytesIO()
    return io.TextIOWrapper(raw, encoding="utf-8"), raw


# -- timing (pyperf) ----------------------------------------------------------------


class Timer:
    """``time_func(loops)`` for ``Runner.bench_time_func``.

    The timed region of one loop is: exec of the compiled module in a fresh namespace,
    then the call of the entry point on a fresh deep copy of the workload (functions),
    or the exec as ``__main__`` with stdin/stdout replaced by in-memory buffers
    (programs). Copies, namespaces and buffers are prepared before the clock starts.

    The clock is the CPU time of the process (``time.process_time``: user + system, all
    threads), not wall time: on a shared machine wall time also counts the time the worker
    waits for a core, which made the same code measure anywhere from 0.6x to 3x of itself
    under load. Candidates cannot move work out of the process (the sandbox forbids
    starting processes), so CPU time is the work done.
    """

    def __init__(self, job: Job, digest_file: str) -> None:
        self.job = job
        self.digest_file = digest_file
        self.digest_written = False

    def __call__(self, loops: int) -> float:
        run = self._function_batch if self.job.kind == "function" else self._program_batch
        total = 0.0
        remaining = loops
        while remaining > 0:
            batch = min(remaining, BATCH)
            total += run(batch)
            remaining -= batch
        return total

    def _function_batch(self, count: int) -> float:
        perf_counter = _cpu_clock
        job = self.job
        code, entry = job.code, job.entry_point
        assert entry is not None
        copies = [copy.deepcopy(job.workload) for _ in range(count)]
        spaces = [_fresh_namespace(MODULE_NAME) for _ in range(count)]
        value: Any = None
        start = perf_counter()
        for namespace, args in zip(spaces, copies, strict=True):
            exec(code, namespace)
            value = namespace[entry](*args)
        elapsed = perf_counter() - start
        if not self.digest_written:
            self._record(function_wire(value, copies[-1]))
        return max(elapsed, CLOCK_FLOOR)

    def _program_batch(self, count: int) -> float:
        perf_counter = _cpu_clock
        code = self.job.code
        data = str(self.job.workload).encode()
        ins = [_stdin(data) for _ in range(count)]
        outs = [_stdout() for _ in range(count)]
        spaces = [_fresh_namespace("__main__") for _ in range(count)]
        saved = sys.stdin, sys.stdout
        exit_code = 0
        try:
            start = perf_counter()
            for namespace, fin, (fout, _) in zip(spaces, ins, outs, strict=True):
                sys.stdin, sys.stdout = fin, fout
                try:
                    exec(code, namespace)
                except SystemExit as exc:
                    exit_code = _exit_code(exc.code)
                fout.flush()
            elapsed = max(perf_counter() - start, CLOCK_FLOOR)
        finally:
            sys.stdin, sys.stdout = saved
        if not self.digest_written:
            stdout = outs[-1][1].getvalue().decode("utf-8", errors="replace")
            self._record(program_wire(stdout, exit_code))
        return elapsed

    def _record(self, wire: dict[str, Any]) -> None:
        self.digest_written = True
        digest = output_digest(wire, self.job.compare_mode)
        with open(self.digest_file, "a", encoding="utf-8") as handle:
            handle.write(digest + "\n")


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
    timer = Timer(Job(args.job), args.digests)
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
    tracer = _Tracer(traced)
    result = _probe_function(job, tracer) if job.kind == "function" else _probe_program(job, tracer)
    result["vmhwm_bytes"] = _vmhwm_bytes()
    _write(result_path, result)


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
        value = entry(*args)
    except Exception as exc:
        tracer.stop()
        return {"error": f"raises {_describe(exc)}"}
    elapsed = perf_counter() - start
    tracer.stop()
    wire = function_wire(value, args)
    return _ok(job, wire, tracer.peak, elapsed)


def _probe_program(job: Job, tracer: _Tracer) -> dict[str, Any]:
    fin = _stdin(str(job.workload).encode())
    fout, raw = _stdout()
    namespace = _fresh_namespace("__main__")
    saved = sys.stdin, sys.stdout
    perf_counter = _perf_counter
    exit_code = 0
    error: str | None = None
    tracer.start()
    start = perf_counter()
    try:
        sys.stdin, sys.stdout = fin, fout
        try:
            exec(job.code, namespace)
        except SystemExit as exc:
            exit_code = _exit_code(exc.code)
        fout.flush()
    except Exception as exc:
        error = f"raises {_describe(exc)}"
    finally:
        sys.stdin, sys.stdout = saved
    elapsed = perf_counter() - start
    tracer.stop()
    if error is not None:
        return {"error": error}
    wire = program_wire(raw.getvalue().decode("utf-8", errors="replace"), exit_code)
    return _ok(job, wire, tracer.peak, elapsed)


def _ok(job: Job, wire: dict[str, Any], peak: int | None, elapsed: float) -> dict[str, Any]:
    encoded = json.dumps(wire, separators=(",", ":"))
    return {
        "error": None,
        "tracemalloc_peak": peak,
        "elapsed": elapsed,
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
    except Exception:
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
