"""Sandboxed runs of :mod:`optbench.runtime.measure_worker`: probes and pyperf benchmarks.

Everything here runs one side (the original or a candidate) of a measurement. Results
come back as JSON files in the sandbox dir, decoded into builtin types only.
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyperf

from optbench import codec
from optbench.core import Problem
from optbench.core.verdict import Counterexample, VerdictStatus
from optbench.errors import OptbenchError
from optbench.measure.profiles import MeasureProfile
from optbench.runtime import measure_worker as worker
from optbench.sandbox import Limits, RunResult, Sandbox

WORKER = str(Path(worker.__file__).resolve())
STARTUP_S = 10.0
"""Allowance for interpreter start-up, pyperf's metadata collection and loading the job."""
STDERR_TAIL = 300


def interpreter(*args: str) -> list[str]:
    """argv for the worker: ``-P -s -B`` rather than ``Sandbox.python``'s ``-I``, because
    ``-I`` ignores ``PYTHONHASHSEED`` and every process would hash strings differently
    (set order, and so output, could change between pyperf workers). The sandbox already
    replaces the whole environment; ``-P`` keeps the script's folder off ``sys.path``."""
    return [sys.executable, "-P", "-s", "-B", *args]


class MeasurementError(OptbenchError):
    """The code could not be measured; ``reason`` is one line saying why.

    ``verdict`` says what the failure shows about the code itself when it is the code's
    doing (a wrong output, a crash, a timeout or a policy violation on the workload), and
    is None when the harness failed (a busy core, say). ``counterexample`` carries the
    expected and actual outputs of a wrong one, where known.
    """

    def __init__(
        self,
        reason: str,
        side: str = "candidate",
        verdict: VerdictStatus | None = None,
        counterexample: Counterexample | None = None,
    ) -> None:
        self.reason = " ".join(reason.split())
        self.side = side
        self.verdict = verdict
        self.counterexample = counterexample
        self.workload_seed: int | None = None
        """The seed of the workload it failed on, when the measurement drew one."""
        super().__init__(self.reason)


@dataclass
class Probe:
    digest: str
    outcome: str | None
    """The JSON of the encoded outcome, when small enough to send back."""
    elapsed: float
    """CPU seconds of the execution, read by the trusted parent of the child that ran it."""
    peak_bytes: int | None
    """Peak resident memory the execution added to its process (kernel accounting)."""
    hwm_bytes: int | None
    """The process's peak resident set (``VmHWM``) up to the end of the execution."""
    setup_s: float = 0.0
    """CPU seconds of the untimed preparation of one execution (copying the workload)."""


def write_job(sandbox: Sandbox, problem: Problem, code: str, workload: Any) -> None:
    sandbox.write("code.py", code)
    job = {
        "kind": problem.kind.value,
        "entry_point": problem.entry_point,
        "compare_mode": problem.compare.mode,
        "compare_args": problem.compare.mutation,
        "code_file": "code.py",
        "workload": codec.encode(workload),
    }
    sandbox.write("job.json", json.dumps(job, separators=(",", ":")))


def sandbox_limits(profile: MeasureProfile) -> Limits:
    """CPU seconds per process: a pyperf worker runs ``warmups + values`` values of at
    most one execution each. Wall-clock limits are set per run."""
    runs_per_worker = profile.warmups + profile.values
    cpu = math.ceil(2 * runs_per_worker * profile.timeout_s) + 60
    return Limits().with_(cpu_s=cpu)


def run_probe(
    sandbox: Sandbox,
    index: int,
    *,
    timeout: float,
    cpu: int | None,
    side: str,
) -> Probe:
    """One execution of the code on the workload in its own process."""
    result_name = f"probe-{index}.json"
    argv = interpreter(WORKER, "probe", "job.json", result_name)
    run = sandbox.run(argv, timeout=timeout + STARTUP_S, cpu=cpu)
    _raise_violation(sandbox, side, "probed")
    data = _read_json(sandbox, result_name)
    if data is None:
        raise MeasurementError(
            _failure(run, side, "while probed", timeout), side, _failure_status(run)
        )
    if data.get("error"):
        raise MeasurementError(f"{side} {data['error']} on the workload", side, VerdictStatus.ERROR)
    return Probe(
        digest=str(data["digest"]),
        outcome=data.get("outcome"),
        elapsed=float(data["elapsed"]),
        peak_bytes=_int_or_none(data.get("peak_bytes")),
        hwm_bytes=_int_or_none(data.get("hwm_bytes")),
        setup_s=_float_or_zero(data.get("setup_s")),
    )


@dataclass
class Timing:
    values: list[float]
    digests: list[str]
    wall_s: float
    metadata: dict[str, Any]


def run_timing(
    sandbox: Sandbox,
    profile: MeasureProfile,
    *,
    single_s: float,
    core: int,
    side: str,
    processes: int | None = None,
    tag: str = "",
) -> Timing:
    """The pyperf benchmark, pinned to ``core``, with ``processes`` worker processes (the
    profile's by default); ``tag`` names its files, so that one sandbox can be timed in
    several rounds. The caller holds the core's lock.

    Every value is one execution in its own fresh child (``--loops=1``): with several
    executions in one process, a later one could find the answer an earlier one left in
    state the harness cannot enumerate (``os.environ``, an interpreter setting) and forge
    a speedup of up to the number of loops. The worker reads the child's CPU clock from
    the kernel to the nanosecond, so loops are not needed for resolution."""
    processes = profile.processes if processes is None else processes
    timing_name, digests_name = f"timing{tag}.json", f"digests{tag}.txt"
    per_worker = STARTUP_S + 3 * (profile.warmups + profile.values) * single_s
    per_worker = max(per_worker, profile.timeout_s)
    wall = STARTUP_S + processes * per_worker
    argv = interpreter(
        WORKER,
        "--job", "job.json",
        "--digests", digests_name,
        "-o", timing_name,
        f"--affinity={core}",
        f"--processes={processes}",
        f"--values={profile.values}",
        f"--warmups={profile.warmups}",
        "--loops=1",
        f"--timeout={math.ceil(per_worker)}",
        "--copy-env",
        "--quiet",
    )  # fmt: skip
    run = sandbox.run(argv, timeout=wall)
    _raise_violation(sandbox, side, "timed")
    if run.returncode != 0 or not (sandbox.workdir / timing_name).exists():
        if run.returncode == 124:
            raise MeasurementError(
                f"{side} timed out while timed (a pyperf worker ran over {per_worker:.0f} s)",
                side,
                VerdictStatus.TIMEOUT,
            )
        raise MeasurementError(_failure(run, side, "while timed", wall), side, _failure_status(run))
    try:
        bench = pyperf.Benchmark.load(str(sandbox.workdir / timing_name))
    except Exception as exc:  # the file was written inside the sandbox
        raise MeasurementError(
            f"{side}'s timing could not be read ({type(exc).__name__}: {str(exc)[:120]})",
            side,
            VerdictStatus.ERROR,
        ) from None
    values = [float(v) for v in bench.get_values()]
    digests_text = sandbox.read(digests_name).decode("ascii", errors="replace")
    digests = [line.strip() for line in digests_text.splitlines() if line.strip()]
    expected = processes * profile.values
    if len(values) != expected:
        raise MeasurementError(
            f"pyperf returned {len(values)} values for the {side}, expected {expected}",
            side,
            VerdictStatus.ERROR,
        )
    return Timing(values, digests, run.wall_s, dict(bench.get_metadata()))


def _raise_violation(sandbox: Sandbox, side: str, when: str) -> None:
    """Raise what the worker wrote about the code: what it attempted against the sandbox
    policy, or (while timed) how it failed or misreported its time."""
    try:
        text = sandbox.read(worker.VIOLATION_FILE, limit=4000).decode("utf-8", "replace")
    except (OSError, ValueError):
        return
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines:
        raise MeasurementError(
            f"{side} {lines[-1][:STDERR_TAIL]} (while {when})", side, VerdictStatus.REJECTED
        )


def _read_json(sandbox: Sandbox, name: str) -> dict[str, Any] | None:
    try:
        data = codec.loads_bounded(sandbox.read(name))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _float_or_zero(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else 0.0


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _failure_status(run: RunResult) -> VerdictStatus:
    return VerdictStatus.TIMEOUT if run.timed_out else VerdictStatus.ERROR


def _failure(run: RunResult, side: str, when: str, limit: float) -> str:
    if run.timed_out:
        return f"{side} timed out {when} (wall-clock limit {limit:.0f} s)"
    tail = _last_line(run.stderr)
    detail = f": {tail}" if tail else ""
    return f"{side} failed {when} ({run.describe_exit()}){detail}"


def _last_line(stderr: bytes) -> str:
    """The first exception line (the worker's own error, before the pyperf manager's
    report of it), else the last line."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    for line in lines:
        if _EXCEPTION_LINE.match(line):
            return line[:STDERR_TAIL]
    return lines[-1][:STDERR_TAIL] if lines else ""


_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)\b")
