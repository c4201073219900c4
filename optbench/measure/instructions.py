"""The ``instructions`` profile: instructions executed, counted by valgrind's cachegrind.

A deterministic alternative to timing. Each side (the original, a candidate) runs once
under ``valgrind --tool=cachegrind --cache-sim=no`` in the sandbox, as one execution in
the measurement worker's own process (``measure_worker.py count``: the timed profiles' probe runs
the code in a forked child, which the count would not see), on the
problem's default workload instance (``problem.workload(None)``), so the original and
every candidate are counted on the same input. The speedup is the ratio original /
candidate of the counts. A count does not depend on the machine's load, so no core is
held: counts run on the core the timed profiles leave free.

One side is measured in three steps:

1. a native probe, exactly as the timed profiles do: it catches code that raises, hangs
   or computes something else (with the harness's own output check), and its time sets
   the limit of the count (:data:`SLOWDOWN` times it, plus start-up);
2. a count of the same probe under cachegrind, in a fresh sandbox, whose output digest
   must equal the native probe's;
3. *start-up*: the same worker on the same job with the code replaced by a stub,
   counted the same way once per session, and subtracted. The stub's run differs from a
   real one only in the code executed: interpreter start-up, imports, loading and copying
   the workload, encoding the outcome and its digest are in both. The stub is an entry
   point returning None (an empty module for a program). When the original's arguments
   hold as many values after its call as before (left as they came, or changed in
   place), the stub leaves them as they came, so encoding the arguments after the call
   is subtracted too (``keep``); when they shrink, or the outcome is too large to
   compare, the stub empties them (``clear``), since arguments encoded at a larger size
   than the real ones could cost more than the code itself. What is left is the code's
   execution plus encoding its return value (and, with ``clear``, its arguments after
   the call): the same on both sides of an equivalent pair, which pulls large ratios
   towards 1 where the code is cheap beside its output. Identity subtracts the same
   start-up from both sides and so measures 1.0 up to the run-to-run spread. A candidate
   session counts start-up itself, with the stub the original's count used, rather than
   reusing the baseline's, so a change of the worker between the two cannot leak into the
   ratio.

Where the count comes from. The candidate's code runs in the very process valgrind
instruments, under the same user id, so any file valgrind may write the code may write
too: the sandbox has no place outside its writable workdir that one can write and the
other cannot. The count is therefore read from valgrind's output file and verified
against what valgrind itself prints after the last instruction of the client ran: its
``I refs`` summary, on standard error through a descriptor in valgrind's reserved range,
which the client cannot close. It is accepted only when valgrind's banner and summary
each appear exactly once, for the same pid; exactly one output file exists, named for
that pid, a plain file with one link; the file parses strictly (one ``cmd:`` line equal
to the command run, ``events: Ir``, a final ``summary:`` equal to the sum of its lines);
and its summary equals the printed one. A forged file fails the last check (valgrind
prints its real total, or 0 when it could not write its file); forged lines on standard
error make the summary appear twice; a process started or exec'd under valgrind adds a
banner, a summary or an output file (``--trace-children=yes``). valgrind ignores
``.valgrindrc`` and ``VALGRIND_OPTS`` (``--command-line-only=yes``) and runs without its
gdbserver (``--vgdb=no``).

The counted process runs under the seccomp filter's ``counted`` profile (see
:mod:`optbench.runtime.seccomp`): no processes, programs, sockets or metadata changes,
loaded the one way valgrind supports (no thread sync, which the ``measured`` profile
uses); it leaves out ``measured``'s refusal to open files for writing, which would refuse
cachegrind's own output file. ``RLIMIT_NPROC`` of 1 refuses processes and threads too; a
fresh sandbox per count keeps anything written from outliving it; a program exec'd in
place runs under valgrind and would have to know in advance the exact count it forges.

The interval. One run per side gives a point estimate; its uncertainty is the
run-to-run spread of a net count, bounded per side by ``SPREAD_ABS + SPREAD_REL * count``
(see the constants for what was measured). The interval is the ratio of the bounds,
``[(b - e_b) / (c + e_c), (b + e_b) / (c - e_c)]``, and the ratio is significant when the
interval excludes 1.0.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optbench import codec
from optbench.core import MetricResult, Problem, Stats
from optbench.core.verdict import VerdictStatus
from optbench.measure import runs
from optbench.measure.corelock import default_core, other_core
from optbench.measure.harness import (
    KEEP_OUTCOME_EXACT,
    BaselineResult,
    CandidateMeasurement,
    _check_output,
)
from optbench.measure.machine import machine_info
from optbench.measure.profiles import MeasureProfile
from optbench.measure.runs import MeasurementError, Probe
from optbench.sandbox import Limits, RunResult, Sandbox
from optbench.sandbox.isolation import Isolation, detect_isolation

METRIC = "instructions"
UNIT = "instr"
SLOWDOWN = 60
"""Limit of a count as a multiple of the native probe's time: cachegrind without cache
simulation runs Python 30-50x slower."""
COUNT_STARTUP_S = 60.0
"""Allowance for start-up and imports under valgrind (about 280 M instructions, 3-5 s on
an idle machine) on top of the scaled time."""
EXTRA_MEMORY_MB = 1024
"""Address space for valgrind itself, above the sandbox's usual limit."""
SPREAD_REL = 0.001
"""Relative run-to-run spread of a net count, per side. Over the 62 bundled problems
(bench/instructions_agreement.py) identity's |ratio - 1| was at most 9.7e-6 (median
5e-7): with ``PYTHONHASHSEED`` fixed a count repeats almost exactly. The bound is the
0.08% spread seen before the seed was fixed, rounded up, for code whose work depends on
memory addresses (objects hashed by id); it makes gains below ~0.2% insignificant, which
no one would act on anyway."""
SPREAD_ABS = 20_000
"""Absolute run-to-run spread of a net count, per side: the start-up counts of two
sessions differed by at most 3,286 instructions (median ~570) over the bundled problems;
the bound matters for code that does almost nothing beside start-up."""
OUT_PREFIX = "cachegrind.out."
MAX_OUT_BYTES = 64 * 1024 * 1024
COUNT_RESULT = "count.json"
UNTRACED = ("/sbin/ldconfig", "/usr/sbin/ldconfig")
"""Programs run natively, not under valgrind, when the worker's own start-up runs them
(``ctypes.util.find_library`` runs ldconfig): anything else a counted process executes
runs under valgrind and is caught by the checks of :func:`read_count`."""

_BANNER = re.compile(rb"^==(\d+)== Cachegrind, a cache and branch-prediction profiler\s*$", re.M)
_COMMAND = re.compile(rb"^==(\d+)== Command: ", re.M)
_SUMMARY = re.compile(rb"^==(\d+)== I\s+refs:\s+([\d,]+)\s*$", re.M)
_COUNT_LINE = re.compile(r"^\d+ (\d+)$")


@dataclass(frozen=True)
class Count:
    """One side's count: valgrind's total, the output digest, and what it cost."""

    instructions: int
    digest: str
    wall_s: float
    isolation: str
    """The layers of the count's sandbox (see :func:`count_isolation`)."""


class CountRejected(Exception):
    """The count's evidence contradicts itself: tampering (see the module docstring)."""


class CountMissing(Exception):
    """valgrind left no count: a crash, a timeout, an output file it could not write."""


# -- valgrind and the interpreter ------------------------------------------------------


@functools.cache
def valgrind_version() -> str:
    """``valgrind-X.Y.Z``; raises :class:`MeasurementError` when valgrind is missing."""
    path = shutil.which("valgrind")
    if path is None:
        raise MeasurementError(
            "the instructions profile needs valgrind, which is not installed "
            "(apt-get install valgrind, or bash scripts/setup.sh)",
            "original",
        )
    try:
        found = subprocess.run([path, "--version"], capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise MeasurementError(f"valgrind at {path} does not run: {exc}", "original") from None
    return found.stdout.decode("ascii", "replace").strip()


@functools.cache
def interpreter_binary() -> Path:
    """The interpreter valgrind instruments: ``sys.executable`` resolved through symlinks,
    which must be an ELF binary. A shell wrapper would have valgrind count the shell and
    run Python natively. valgrind is given ``sys.executable`` itself (it follows the
    symlink), so that Python still finds its virtual environment from ``argv[0]``."""
    real = Path(sys.executable).resolve()
    try:
        with real.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise MeasurementError(f"cannot read the interpreter {real}: {exc}", "original") from None
    if magic != b"\x7fELF":
        raise MeasurementError(
            f"the interpreter {sys.executable} resolves to {real}, which is not an ELF "
            "binary (a wrapper script?); valgrind would count the wrapper",
            "original",
        )
    return real


KEEP = "keep"
CLEAR = "clear"
STUBS = (KEEP, CLEAR)


def startup_code(problem: Problem, stub: str = KEEP) -> str:
    """The code counted in place of the real one, whose count is subtracted: an entry point
    that does nothing (``keep``: its arguments are encoded after the call as they came),
    or that empties its list, dict, set and bytearray arguments (``clear``: next to nothing
    is encoded after the call); a program's is an empty module."""
    if problem.kind.value != "function":
        return ""
    if stub == KEEP:
        return f"def {problem.entry_point}(*args, **kwargs):\n    return None\n"
    return (
        f"def {problem.entry_point}(*args, **kwargs):\n"
        "    for arg in args:\n"
        "        if isinstance(arg, (list, dict, set, bytearray)):\n"
        "            arg.clear()\n"
        "    return None\n"
    )


def choose_stub(problem: Problem, workload: Any, outcome: str | None) -> str:
    """``keep`` when the original's arguments hold at least as many values after its call
    as before (unchanged, or changed in place): the worker then encodes about as much
    after the stub's call as after the real one, never more, so subtracting the stub also
    removes that work. ``clear`` when they shrink (the stub's arguments would cost more to
    encode than the real ones, possibly more than the code itself) or the outcome is
    unknown (too large to send back).

    Decided once, on the original, and stored with its count: every candidate of the
    problem is counted against the same stub."""
    if problem.kind.value != "function" or outcome is None:
        return CLEAR
    try:
        after = json.loads(outcome)["args_after"]
    except (ValueError, TypeError, KeyError):
        return CLEAR
    given = json.loads(json.dumps(codec.encode(list(workload))))
    return KEEP if _nodes(after) >= _nodes(given) else CLEAR


def _nodes(data: Any) -> int:
    """Values in decoded JSON, containers included."""
    count, stack = 0, [data]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return count


def valgrind_argv(workdir: Path, client: list[str]) -> list[str]:
    return [
        shutil.which("valgrind") or "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--branch-sim=no",
        "--command-line-only=yes",
        "--trace-children=yes",
        f"--trace-children-skip={','.join(UNTRACED)}",
        "--vgdb=no",
        f"--cachegrind-out-file={workdir / OUT_PREFIX}%p",
        *client,
    ]


# -- one count -------------------------------------------------------------------------


def count_limits(timeout: float) -> Limits:
    """A count's limits: its time, room for valgrind, and one process (see
    :func:`count_isolation`)."""
    base = Limits()
    return base.with_(
        cpu_s=math.ceil(timeout) + 10, memory_mb=base.memory_mb + EXTRA_MEMORY_MB, nproc=1
    )


def count_isolation() -> Isolation:
    """The sandbox's layers for a count: the same as for any candidate code, with the
    seccomp filter in its ``counted`` profile where the sandbox has a working filter (see
    the module docstring), and ``RLIMIT_NPROC`` of 1 on the sandbox's own user id (no
    fork, no thread; recorded as ``+nproc1``)."""
    return detect_isolation()


def count_code(
    problem: Problem,
    code: str,
    workload: Any,
    *,
    timeout: float,
    cpu: int | None,
    side: str,
) -> Count:
    """Count the instructions of one worker probe of ``code`` on ``workload`` under
    cachegrind, in a fresh sandbox. Raises :class:`MeasurementError`."""
    interpreter_binary()
    valgrind_version()
    with Sandbox(count_limits(timeout), count_isolation()) as sandbox:
        runs.write_job(sandbox, problem, code, workload)
        client = runs.interpreter(runs.WORKER, "count", "job.json", COUNT_RESULT)
        run = sandbox.run(valgrind_argv(sandbox.workdir, client), timeout=timeout, cpu=cpu)
        _not_visible(run)
        runs._raise_violation(sandbox, side, "counted")
        try:
            instructions = read_count(sandbox.workdir, run, " ".join(client))
        except CountRejected as exc:
            raise MeasurementError(
                f"{side}'s instruction count was rejected: {exc}", side, VerdictStatus.REJECTED
            ) from None
        except CountMissing as exc:
            raise MeasurementError(_count_failure(run, side, timeout, str(exc)), side) from None
        data = runs._read_json(sandbox, COUNT_RESULT)
        if data is None:
            raise MeasurementError(_count_failure(run, side, timeout, "no result"), side)
        if data.get("error"):
            raise MeasurementError(f"{side} {data['error']} on the workload under valgrind", side)
        isolation = sandbox.isolation.describe() + ("+nproc1" if sandbox.uid is not None else "")
        return Count(instructions, str(data.get("digest")), round(run.wall_s, 3), isolation)


def read_count(workdir: Path, run: RunResult, command: str) -> int:
    """valgrind's total for the run, checked as the module docstring says. Raises
    :class:`CountRejected` when the evidence contradicts itself, :class:`CountMissing`
    when valgrind left none."""
    if run.truncated:
        raise CountMissing("its standard error was cut at the capture limit")
    banners = _BANNER.findall(run.stderr)
    if not banners:
        raise CountMissing("valgrind did not start")
    if len(banners) > 1 or len(_COMMAND.findall(run.stderr)) > 1:
        raise CountRejected("a second program ran under valgrind (a fork or an exec)")
    pid = banners[0].decode()
    summaries = _SUMMARY.findall(run.stderr)
    if len(summaries) > 1:
        raise CountRejected("valgrind's summary appears more than once on standard error")
    if not summaries:
        raise CountMissing("valgrind printed no summary")
    summary_pid, total = summaries[0]
    if summary_pid.decode() != pid:
        raise CountRejected("the summary on standard error is not from the process counted")
    printed = int(total.replace(b",", b""))
    outputs = sorted(p.name for p in workdir.iterdir() if p.name.startswith(OUT_PREFIX))
    expected = OUT_PREFIX + pid
    if outputs and outputs != [expected]:
        raise CountRejected(f"unexpected valgrind output files {outputs[:4]}")
    path = workdir / expected
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        detail = "valgrind wrote no output file" + (" (its total is 0)" if not printed else "")
        raise CountMissing(detail) from None
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        raise CountRejected("valgrind's output file is not a plain file of its own")
    if info.st_size > MAX_OUT_BYTES:
        raise CountRejected(f"valgrind's output file has {info.st_size} bytes")
    counted = parse_cachegrind(path.read_bytes(), command)
    if counted != printed or printed <= 0:
        raise CountRejected(
            f"the output file says {counted} instructions, valgrind printed {printed}"
        )
    return counted


def parse_cachegrind(data: bytes, command: str) -> int:
    """The total of a cachegrind output file with the single event ``Ir``, checked: its
    command, its format, and that its ``summary:`` is the sum of its lines."""
    text = data.decode("utf-8", "replace")
    lines = [line for line in text.split("\n") if line]
    if not lines or not lines[-1].startswith("summary: "):
        raise CountRejected("valgrind's output file does not end with its summary")
    commands = [line[5:] for line in lines if line.startswith("cmd: ")]
    if commands != [command]:
        raise CountRejected("valgrind's output file names another command")
    if [line for line in lines if line.startswith("events: ")] != ["events: Ir"]:
        raise CountRejected("valgrind's output file counts other events")
    total = 0
    for line in lines[:-1]:
        found = _COUNT_LINE.match(line)
        if found:
            total += int(found.group(1))
        elif not line.startswith(("desc: ", "cmd: ", "events: ", "fl=", "fn=")):
            raise CountRejected(f"unexpected line in valgrind's output file: {line[:60]!r}")
    summary = lines[-1].removeprefix("summary: ").strip()
    if not summary.isdigit() or int(summary) != total:
        raise CountRejected("valgrind's output file does not add up to its summary")
    return total


def _not_visible(run: RunResult) -> None:
    """Raise when valgrind could not start inside the sandbox (its binary or its tools
    not among the paths the sandbox shows)."""
    if run.returncode == 0 or _BANNER.search(run.stderr):
        return
    text = run.stderr.decode("utf-8", "replace")
    if "valgrind" in text and ("No such file" in text or "failed to start tool" in text):
        raise MeasurementError(
            "valgrind cannot run inside the sandbox (it needs /usr/bin/valgrind and "
            f"/usr/libexec/valgrind there): {runs._last_line(run.stderr)}",
            "original",
        )


def _count_failure(run: RunResult, side: str, limit: float, why: str) -> str:
    if run.timed_out:
        return (
            f"{side}'s instructions could not be counted within {limit:.0f} s "
            f"({SLOWDOWN}x its native time plus start-up)"
        )
    tail = runs._last_line(run.stderr)
    return f"{side}'s instructions could not be counted ({run.describe_exit()}: {why}) {tail}"


# -- the interval ----------------------------------------------------------------------


def spread(count: float) -> float:
    """Bound of the run-to-run spread of one net count (instructions)."""
    return SPREAD_ABS + SPREAD_REL * abs(count)


def instruction_ratio(baseline: float, candidate: float) -> MetricResult:
    """The ``time`` metric of the instructions profile: ratio baseline / candidate of the
    net counts, with the interval of their spreads (see the module docstring)."""
    floor = 1.0
    ratio = max(baseline, floor) / max(candidate, floor)
    low = max(baseline - spread(baseline), floor) / max(candidate + spread(candidate), floor)
    high = max(baseline + spread(baseline), floor) / max(candidate - spread(candidate), floor)
    low, high = min(low, ratio), max(high, ratio)
    return MetricResult(
        metric=METRIC,
        baseline=Stats(values=[float(baseline)], unit=UNIT),
        candidate=Stats(values=[float(candidate)], unit=UNIT),
        ratio=ratio,
        ci_low=low,
        ci_high=high,
        significant=low > 1.0 or high < 1.0,
    )


# -- the two sides ---------------------------------------------------------------------


def _limit(single_s: float, setup_s: float = 0.0) -> float:
    """Wall seconds for a count of code that ran natively in ``single_s`` (exec and call)
    after ``setup_s`` of copying the workload."""
    return COUNT_STARTUP_S + SLOWDOWN * (max(single_s, 0.0) + 4 * max(setup_s, 0.0))


def _cpu(core: int | None) -> int | None:
    """The core the timed profiles leave free: a count needs no core of its own."""
    return other_core(default_core() if core is None else core)


def _probe(
    problem: Problem,
    code: str,
    workload: Any,
    profile: MeasureProfile,
    cpu: int | None,
    side: str,
) -> tuple[Probe, str]:
    """The native probe (output, time, VmHWM) and the sandbox's isolation."""
    with Sandbox(runs.sandbox_limits(profile)) as sandbox:
        runs.write_job(sandbox, problem, code, workload)
        probe = runs.run_probe(sandbox, 0, timeout=profile.timeout_s, cpu=cpu, side=side)
        return probe, sandbox.isolation.describe()


def _same_digest(count: Count, probe: Probe, side: str) -> None:
    if count.digest != probe.digest:
        raise MeasurementError(
            f"{side}'s output on the workload under valgrind differs from its native run's",
            side,
            VerdictStatus.NOT_EQUIVALENT,
        )


def _lap(start: float) -> tuple[float, float]:
    now = time.monotonic()
    return round(now - start, 3), now


def measure_baseline(
    problem: Problem, profile: MeasureProfile, *, core: int | None = None
) -> BaselineResult:
    """The original's net count (``time_values == [count]``). Raises
    :class:`MeasurementError`."""
    valgrind_version()
    interpreter_binary()
    cpu = _cpu(core)
    workload = problem.workload(None)
    clock = time.monotonic()
    probe, isolation = _probe(problem, problem.slow_source, workload, profile, cpu, "original")
    probe_s, clock = _lap(clock)
    limit = _limit(probe.elapsed, probe.setup_s)
    stub = choose_stub(problem, workload, probe.outcome)
    startup = count_code(
        problem, startup_code(problem, stub), workload, timeout=limit, cpu=cpu, side="original"
    )
    gross = count_code(
        problem, problem.slow_source, workload, timeout=limit, cpu=cpu, side="original"
    )
    _same_digest(gross, probe, "original")
    count_s, _ = _lap(clock)
    keep = probe.outcome is not None and (
        len(probe.outcome) <= KEEP_OUTCOME_EXACT or not problem.compare.by_digest
    )
    info = machine_info()
    info.update(
        isolation=isolation,
        count_isolation=gross.isolation,
        valgrind=valgrind_version(),
        startup_instructions=startup.instructions,
        startup_stub=stub,
    )
    return BaselineResult(
        time_values=[float(gross.instructions - startup.instructions)],
        memory_values=[],
        output_digest=probe.digest,
        machine=info,
        rss_values=[float(probe.hwm_bytes)] if probe.hwm_bytes is not None else [],
        loops=1,
        single_s=probe.elapsed,
        output=probe.outcome if keep else None,
        profile=profile.name,
        problem_hash=problem.content_hash,
        stage_s={"probe": probe_s, "count": count_s},
        load=[],
    )


def measure_candidates(
    problem: Problem,
    codes: list[str],
    profile: MeasureProfile,
    baseline: BaselineResult,
    *,
    core: int | None = None,
) -> list[CandidateMeasurement | MeasurementError]:
    """Each code's measurement against the original's stored count, or the
    :class:`MeasurementError` saying why it has none; start-up is counted once for all of
    them. A failure to count start-up (the harness's, not a candidate's) is raised.
    ``baseline`` must already be checked against the problem, machine and profile."""
    if len(baseline.time_values) != 1:
        raise ValueError(f"{problem.key}: not an instruction-count baseline")
    interpreter_binary()
    counted_with = baseline.machine.get("valgrind")
    if counted_with and counted_with != valgrind_version():
        raise ValueError(
            f"{problem.key}: the baseline was counted with {counted_with}, "
            f"this machine has {valgrind_version()}"
        )
    stub = baseline.machine.get("startup_stub")
    if stub not in STUBS:
        raise ValueError(f"{problem.key}: the baseline names no start-up stub")
    cpu = _cpu(core)
    workload = problem.workload(None)
    results: list[CandidateMeasurement | MeasurementError | None] = [None] * len(codes)
    probed: dict[int, tuple[Probe, float]] = {}
    isolation = ""
    for index, code in enumerate(codes):
        clock = time.monotonic()
        try:
            probe, isolation = _probe(problem, code, workload, profile, cpu, "candidate")
            _check_output(problem, baseline, probe, workload)
        except MeasurementError as exc:
            results[index] = exc
            continue
        probed[index] = probe, _lap(clock)[0]
    if probed:
        clock = time.monotonic()
        startup = count_code(
            problem, startup_code(problem, stub), workload, timeout=_limit(baseline.single_s),
            cpu=cpu, side="original",
        )  # fmt: skip
        startup_s, _ = _lap(clock)
        info = machine_info()
        info.update(core=cpu, isolation=isolation, valgrind=valgrind_version())
        for index, (probe, probe_s) in probed.items():
            clock = time.monotonic()
            try:
                gross = count_code(
                    problem, codes[index], workload, timeout=_limit(probe.elapsed, probe.setup_s),
                    cpu=cpu, side="candidate",
                )  # fmt: skip
                _same_digest(gross, probe, "candidate")
            except MeasurementError as exc:
                results[index] = exc
                continue
            stages = {"probe": probe_s, "startup": startup_s, "count": _lap(clock)[0]}
            results[index] = _measurement(
                baseline, gross, startup, probe, profile, info, stages, len(codes)
            )
    return [result for result in results if result is not None]


def _measurement(
    baseline: BaselineResult,
    gross: Count,
    startup: Count,
    probe: Probe,
    profile: MeasureProfile,
    machine: dict[str, Any],
    stages: dict[str, float],
    together: int,
) -> CandidateMeasurement:
    original = baseline.time_values[0]
    net = gross.instructions - startup.instructions
    return CandidateMeasurement(
        time=instruction_ratio(original, net),
        memory=None,
        profile=profile.name,
        machine=dict(machine),
        rss=None,
        details={
            "instructions": {
                "baseline": original,
                "candidate": net,
                "candidate_gross": gross.instructions,
                "startup": startup.instructions,
                "baseline_startup": baseline.machine.get("startup_instructions"),
                "stub": baseline.machine.get("startup_stub"),
            },
            "spread": {"relative": SPREAD_REL, "absolute": SPREAD_ABS},
            "count_isolation": gross.isolation,
            "single_s": {"baseline": baseline.single_s, "candidate": probe.elapsed},
            "vmhwm": {
                "baseline": baseline.rss_values[0] if baseline.rss_values else None,
                "candidate": probe.hwm_bytes,
            },
            "stage_s": stages,
            "measured_together": together,
            "workload_seed": None,
            "output_digest": probe.digest,
            "profile": profile.to_dict(),
        },
    )
