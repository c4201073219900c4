"""Measuring the original and a candidate the same way on the same workload.

The original's side is a :class:`BaselineResult`, measured once per (problem content
hash, machine id, profile) and cached by the caller:

1. a *probe*: one untraced execution in its own process, which catches code that
   raises, hangs or computes something else, and gives the time of one execution;
2. the pyperf benchmark, pinned to one core while holding that core's lock, one
   execution per value (each value in a fresh child, so no execution can reuse what an
   earlier one left behind); every pyperf worker reports the digest of what it computed
   while timed, which must equal the probe's;
3. memory: ``memory_runs`` probes (the first one included), each giving the peak resident
   memory the execution added to its process, as the kernel accounts it.

A candidate is probed (its output digest must match the original's before any timing)
and measured for memory the same way. Its timing is *interleaved* with a fresh timing of
the original: the profile's pyperf processes for each side are split into rounds, run
alternately on the same core under one hold of its lock (original first in even rounds,
candidate first in odd ones), and the speedup compares those two sets of values. On a
shared or virtual machine the speed of the same code drifts by tens of percent over
minutes, so a baseline timed minutes earlier (or on a busy moment) would move the
speedup of an identical program; timing both sides side by side keeps that drift out of
the ratio wherever and whenever the candidate is measured. The stored baseline's timing
is kept for reference, and the ratio of the fresh original's median to it is recorded as
``details["baseline_drift"]``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import statistics
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from optbench import codec
from optbench.core import Measurement, MetricResult, Problem
from optbench.core.verdict import Counterexample, Stage, Verdict, VerdictStatus
from optbench.measure import runs
from optbench.measure.corelock import CoreBusy, CoreLock, default_core, other_core
from optbench.measure.machine import machine_id, machine_info
from optbench.measure.profiles import MeasureProfile, get_profile
from optbench.measure.runs import MeasurementError, Probe
from optbench.measure.stats import compare_values
from optbench.runtime import Outcome
from optbench.runtime.compare import compare_outcomes
from optbench.sandbox import Sandbox

KEEP_OUTCOME_EXACT = 64_000
"""The original's encoded outcome is kept in the baseline up to this size (to explain a
mismatch) or, for tolerant comparison policies, up to the worker's limit (to decide one)."""


@dataclass
class SideResult:
    time_values: list[float]
    memory_values: list[float]
    rss_values: list[float]
    digest: str
    outcome: str | None
    loops: int
    single_s: float
    isolation: str
    lock_wait_s: float
    stage_s: dict[str, float]
    """Wall seconds spent probing, timing (pyperf) and measuring memory."""
    load: tuple[float, float]
    """1-minute load average before and after timing: other work on the machine is the
    main source of noise that pinning cannot remove."""
    original_loops: int = 0
    """Loops per value of the original timed beside a candidate (0 on the original's side)."""
    together: int = 1
    """Candidates measured in the same session (sharing the original's timing)."""
    workload_seed: int | None = None
    """The seed the session's workload was drawn with (None: the problem's fixed one)."""


@dataclass
class BaselineResult:
    """The original's measurement; a plain record the runner stores and reuses."""

    time_values: list[float]
    memory_values: list[float]
    output_digest: str
    machine: dict[str, Any]
    rss_values: list[float] = field(default_factory=list)
    loops: int = 1
    single_s: float = 0.0
    """Wall time of one untraced execution (the probe)."""
    output: str | None = None
    """JSON of the encoded outcome, when small enough to keep."""
    profile: str = ""
    problem_hash: str = ""
    stage_s: dict[str, float] = field(default_factory=dict)
    load: list[float] = field(default_factory=list)
    """1-minute load average before and after timing."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BaselineResult:
        return cls(
            time_values=[float(v) for v in data["time_values"]],
            memory_values=[float(v) for v in data.get("memory_values") or []],
            output_digest=str(data["output_digest"]),
            machine=dict(data.get("machine") or {}),
            rss_values=[float(v) for v in data.get("rss_values") or []],
            loops=int(data.get("loops", 1)),
            single_s=float(data.get("single_s", 0.0)),
            output=data.get("output"),
            profile=str(data.get("profile", "")),
            problem_hash=str(data.get("problem_hash", "")),
            stage_s=dict(data.get("stage_s") or {}),
            load=[float(v) for v in data.get("load") or []],
        )


@dataclass
class CandidateMeasurement(Measurement):
    """A :class:`Measurement` plus the secondary memory metric (the child's own VmHWM)
    and how it was taken (loops, lock wait, sandbox layers)."""

    rss: MetricResult | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["rss"] = self.rss.to_dict() if self.rss else None
        data["details"] = self.details
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CandidateMeasurement:
        base = Measurement.from_dict(data)
        return cls(
            time=base.time,
            memory=base.memory,
            profile=base.profile,
            machine=base.machine,
            error=base.error,
            rss=MetricResult.from_dict(data["rss"]) if data.get("rss") else None,
            details=dict(data.get("details") or {}),
        )


def measure_baseline(
    problem: Problem,
    profile: str | MeasureProfile = "default",
    *,
    core: int | None = None,
    lock_timeout: float | None = None,
    memory: bool = True,
) -> BaselineResult:
    """Measure the original (``slow.py``). Raises :class:`MeasurementError`."""
    prof = get_profile(profile)
    if prof.name == "instructions":
        from optbench.measure import instructions  # imports this module

        return instructions.measure_baseline(problem, prof, core=core)
    side = _measure_side(problem, problem.slow_source, prof, core, lock_timeout, memory)
    keep = side.outcome is not None and (
        len(side.outcome) <= KEEP_OUTCOME_EXACT or not problem.compare.by_digest
    )
    info = machine_info()
    info.update(isolation=side.isolation)
    return BaselineResult(
        time_values=side.time_values,
        memory_values=side.memory_values,
        output_digest=side.digest,
        machine=info,
        rss_values=side.rss_values,
        loops=side.loops,
        single_s=side.single_s,
        output=side.outcome if keep else None,
        profile=prof.name,
        problem_hash=problem.content_hash,
        stage_s=side.stage_s,
        load=list(side.load),
    )


def measure_candidate(
    problem: Problem,
    code: str,
    profile: str | MeasureProfile,
    baseline: BaselineResult,
    *,
    core: int | None = None,
    lock_timeout: float | None = None,
    memory: bool = True,
    seed: int = 0,
) -> CandidateMeasurement:
    """Measure ``code`` against a baseline of the same problem, machine and profile.

    Raises :class:`MeasurementError` when the candidate raises, times out or computes
    something other than the original on the workload (probed or timed), and
    ``ValueError`` when the baseline does not belong to this problem, machine or profile.
    """
    [result] = measure_candidates(
        problem,
        [code],
        profile,
        baseline,
        core=core,
        lock_timeout=lock_timeout,
        memory=memory,
        seed=seed,
    )
    if isinstance(result, MeasurementError):
        raise result
    return result


def measure_candidates(
    problem: Problem,
    codes: list[str],
    profile: str | MeasureProfile,
    baseline: BaselineResult,
    *,
    core: int | None = None,
    lock_timeout: float | None = None,
    memory: bool = True,
    seed: int = 0,
) -> list[CandidateMeasurement | MeasurementError]:
    """Measure several candidates of one problem in one session: each round times the
    original once and every candidate once, in an order that reverses from round to round,
    so the original's values serve every candidate (a problem with n candidates times n + 1
    sides instead of 2n). Returns, per code in order, its measurement or the
    :class:`MeasurementError` saying why it has none; a failure of the original (or of
    the core lock) is raised, since it leaves no candidate measured.
    """
    prof = get_profile(profile)
    _check_baseline(problem, prof, baseline)
    if prof.name == "instructions":
        from optbench.measure import instructions  # imports this module

        return instructions.measure_candidates(problem, codes, prof, baseline, core=core)
    bench_core = default_core() if core is None else core
    sides, original_values = _measure_sides(
        problem, codes, prof, baseline, bench_core, lock_timeout, memory
    )
    info = machine_info()
    info.update(core=bench_core)
    stored = statistics.median(baseline.time_values) if baseline.time_values else 0.0
    return [
        side
        if isinstance(side, MeasurementError)
        else _candidate_measurement(side, original_values, baseline, prof, info, stored, seed)
        for side in sides
    ]


def _candidate_measurement(
    side: SideResult,
    original_values: list[float],
    baseline: BaselineResult,
    prof: MeasureProfile,
    machine: dict[str, Any],
    stored: float,
    seed: int,
) -> CandidateMeasurement:
    speed = compare_values(
        "time", original_values, side.time_values, unit="s", seed=seed, block=prof.values
    )
    mem = rss = None
    if baseline.memory_values and side.memory_values:
        mem = compare_values(
            "peak_memory", baseline.memory_values, side.memory_values, unit="B", seed=seed
        )
    if baseline.rss_values and side.rss_values:
        rss = compare_values("peak_rss", baseline.rss_values, side.rss_values, unit="B", seed=seed)
    drift = round(speed.baseline.median / stored, 4) if stored > 0 else None
    return CandidateMeasurement(
        time=speed,
        memory=mem,
        profile=prof.name,
        machine={**machine, "isolation": side.isolation},
        rss=rss,
        details={
            "loops": {"baseline": side.original_loops, "candidate": side.loops},
            "single_s": {"baseline": baseline.single_s, "candidate": side.single_s},
            "lock_wait_s": side.lock_wait_s,
            "stage_s": side.stage_s,
            "rounds": prof.round_sizes(),
            "measured_together": side.together,
            "workload_seed": side.workload_seed,
            "baseline_drift": drift,
            "stored_baseline_time": list(baseline.time_values),
            "load_during_timing": {"baseline": baseline.load, "candidate": list(side.load)},
            "output_digest": side.digest,
            "profile": prof.to_dict(),
        },
    )


def measure(
    problem: Problem,
    code: str,
    profile: str | MeasureProfile = "default",
    *,
    core: int | None = None,
    lock_timeout: float | None = None,
    memory: bool = True,
    seed: int = 0,
) -> CandidateMeasurement:
    """Baseline and candidate in one call (no caching)."""
    baseline = measure_baseline(
        problem, profile, core=core, lock_timeout=lock_timeout, memory=memory
    )
    return measure_candidate(
        problem,
        code,
        profile,
        baseline,
        core=core,
        lock_timeout=lock_timeout,
        memory=memory,
        seed=seed,
    )


def _check_baseline(problem: Problem, profile: MeasureProfile, baseline: BaselineResult) -> None:
    if baseline.problem_hash and problem.content_hash != baseline.problem_hash:
        raise ValueError(f"{problem.key}: the baseline was measured on another version")
    if baseline.profile and baseline.profile != profile.name:
        raise ValueError(
            f"{problem.key}: baseline profile {baseline.profile!r} != {profile.name!r}"
        )
    other = baseline.machine.get("machine_id")
    if other and other != machine_id():
        raise ValueError(f"{problem.key}: the baseline was measured on machine {other}")


def _measure_side(
    problem: Problem,
    code: str,
    profile: MeasureProfile,
    core: int | None,
    lock_timeout: float | None,
    memory: bool,
) -> SideResult:
    """The original's own side: probed, timed alone, and measured for memory."""
    [side], _ = _measure_sides(problem, [code], profile, None, core, lock_timeout, memory)
    if isinstance(side, MeasurementError):
        raise side
    return side


ORIGINAL = -1
"""Key of the original among the sides timed beside candidates."""


def _measure_sides(
    problem: Problem,
    codes: list[str],
    profile: MeasureProfile,
    baseline: BaselineResult | None,
    core: int | None,
    lock_timeout: float | None,
    memory: bool,
) -> tuple[list[SideResult | MeasurementError], list[float]]:
    """The original's own side (``baseline`` None, one code), or candidates' sides timed
    in rounds beside a fresh timing of the original; returns each side (or why it failed)
    and the original's values from those rounds (empty for the original's own side)."""
    name = "original" if baseline is None else "candidate"
    bench_core = default_core() if core is None else core
    untimed_core = other_core(bench_core)
    limit = runs.sandbox_limits(profile)
    clock = time.monotonic()
    fresh = baseline is not None and problem.workload_varies
    seed = secrets.randbits(32) if fresh else None
    workload = problem.workload(seed)
    failed: dict[int, MeasurementError] = {}
    with contextlib.ExitStack() as stack:
        timed: dict[int, _Timed] = {}
        probes: dict[int, Probe] = {}
        probe_s: dict[int, float] = {}
        expected = baseline
        if baseline is not None:
            original = stack.enter_context(Sandbox(limit))
            runs.write_job(original, problem, problem.slow_source, workload)
            if fresh:
                # the workload is drawn for this measurement: what the candidates must
                # compute is what the original computes on it now
                found = runs.run_probe(
                    original, 0, timeout=profile.timeout_s, cpu=untimed_core,
                    side="original",
                )  # fmt: skip
                expected = replace(baseline, output_digest=found.digest, output=found.outcome)
            assert expected is not None
            timed[ORIGINAL] = _Timed(original, baseline.single_s, expected.output_digest)
        for index, code in enumerate(codes):
            sandbox = stack.enter_context(Sandbox(limit))
            runs.write_job(sandbox, problem, code, workload)
            try:
                probe = runs.run_probe(
                    sandbox, 0, timeout=profile.timeout_s, cpu=untimed_core,
                    side=name,
                )  # fmt: skip
                if expected is not None:
                    _check_output(problem, expected, probe, workload)
            except MeasurementError as exc:
                if baseline is None:
                    raise
                failed[index] = exc
                continue
            finally:
                probe_s[index], clock = _lap(clock)
            probes[index] = probe
            timed[index] = _Timed(sandbox, probe.elapsed + probe.setup_s, probe.digest)
        candidates = [i for i in timed if i != ORIGINAL]
        rounds = _rounds(profile, candidates, baseline is not None) if candidates else []
        load_before = os.getloadavg()[0]
        waited = 0.0
        try:
            with CoreLock(bench_core, timeout=lock_timeout) as lock:
                for index, processes, round_ in rounds:
                    if index in failed:
                        continue
                    try:
                        timed[index].run(profile, bench_core, _side(index, name), processes, round_)
                    except MeasurementError as exc:
                        if index == ORIGINAL or baseline is None:
                            raise
                        failed[index] = exc
                waited = lock.waited
        except CoreBusy as exc:
            raise MeasurementError(str(exc), name) from exc
        timing_s, clock = _lap(clock)
        load = (round(load_before, 2), round(os.getloadavg()[0], 2))
        if ORIGINAL in timed and candidates:
            timed[ORIGINAL].check(profile, "original")
        results: list[SideResult | MeasurementError] = []
        for index in range(len(codes)):
            if index not in failed and index in timed:
                try:
                    timed[index].check(profile, name)
                    rss: list[float] = []
                    peaks: list[float] = []
                    if memory:
                        rss, peaks = _memory_runs(
                            timed[index].sandbox, profile, probes[index], name, untimed_core
                        )
                except MeasurementError as exc:
                    if baseline is None:
                        raise
                    failed[index] = exc
            if index in failed:
                failed[index].workload_seed = seed
                results.append(failed[index])
                continue
            memory_s, clock = _lap(clock)
            probe = probes[index]
            results.append(
                SideResult(
                    time_values=timed[index].values,
                    memory_values=peaks or rss,
                    rss_values=rss,
                    digest=probe.digest,
                    outcome=probe.outcome,
                    loops=1,
                    single_s=probe.elapsed,
                    isolation=timed[index].sandbox.isolation.describe(),
                    lock_wait_s=waited,
                    stage_s={"probe": probe_s[index], "timing": timing_s, "memory": memory_s},
                    load=load,
                    original_loops=1 if ORIGINAL in timed else 0,
                    together=len(codes),
                    workload_seed=seed,
                )
            )
        original_values = timed[ORIGINAL].values if ORIGINAL in timed else []
        return results, original_values


def _side(index: int, name: str) -> str:
    return "original" if index == ORIGINAL else name


def _rounds(
    profile: MeasureProfile, candidates: list[int], interleaved: bool
) -> list[tuple[int, int, int | None]]:
    """(side, processes, round) in the order to time them. Alone (the original's own
    side): all processes at once. Interleaved: each round times the original and every
    candidate, original first in even rounds and last (candidates reversed) in odd ones, so
    no side keeps the same place in every round."""
    if not interleaved:
        return [(index, profile.processes, None) for index in candidates]
    order = [ORIGINAL, *candidates]
    return [
        (index, processes, round_)
        for round_, processes in enumerate(profile.round_sizes())
        for index in (order if round_ % 2 == 0 else order[::-1])
    ]


@dataclass
class _Timed:
    """One side of an interleaved timing: its sandbox and what it must compute."""

    sandbox: Sandbox
    single_s: float
    digest: str
    values: list[float] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)

    def run(
        self, profile: MeasureProfile, core: int, side: str, processes: int, index: int | None
    ) -> None:
        timing = runs.run_timing(
            self.sandbox, profile, single_s=self.single_s, core=core,
            side=side, processes=processes, tag="" if index is None else f"-{index}",
        )  # fmt: skip
        self.values.extend(timing.values)
        self.digests.extend(timing.digests)

    def check(self, profile: MeasureProfile, side: str) -> None:
        changed = sum(d != self.digest for d in self.digests)
        if changed or len(self.digests) < profile.processes:
            raise MeasurementError(
                f"{side}'s output differed while timed: {changed} of {len(self.digests)} "
                "timed values computed something else than the probe run",
                side,
                VerdictStatus.NOT_EQUIVALENT,
            )


def _lap(start: float) -> tuple[float, float]:
    now = time.monotonic()
    return round(now - start, 3), now


def _memory_runs(
    sandbox: Sandbox, profile: MeasureProfile, probe: Probe, side: str, cpu: int | None
) -> tuple[list[float], list[float]]:
    """(peak resident sets, peak memory added by the execution) of ``memory_runs`` probes,
    the first probe included."""
    probes = [probe]
    for index in range(1, profile.memory_runs):
        again = runs.run_probe(sandbox, index, timeout=profile.timeout_s, cpu=cpu, side=side)
        _same(again, probe, side)
        probes.append(again)
    rss = [float(p.hwm_bytes) for p in probes if p.hwm_bytes is not None]
    peaks = [float(p.peak_bytes) for p in probes if p.peak_bytes is not None]
    return rss, peaks


def _same(run: Probe, probe: Probe, side: str) -> None:
    if run.digest != probe.digest:
        raise MeasurementError(
            f"{side}'s output on the workload changes from one run to the next",
            side,
            VerdictStatus.NOT_EQUIVALENT,
        )


def _check_output(
    problem: Problem, baseline: BaselineResult, probe: Probe, workload: Any = None
) -> None:
    """The candidate must compute what the original computed on the workload: the same
    digest, or (for tolerant policies, and where the problem's checker judges answers)
    outcomes equal under the problem's policy, judged here on the trusted side. Its timed
    values are then held to its own probe's digest (see :class:`_Timed`), so a candidate
    whose answer is valid but differs from the original's must still give that same
    answer every time it is timed."""
    if probe.digest == baseline.output_digest:
        return
    if baseline.output is not None and probe.outcome is not None:
        try:
            candidate = _outcome(probe.outcome)
        except (ValueError, TypeError, KeyError, RecursionError) as exc:
            raise MeasurementError(
                f"candidate's output on the workload cannot be read: {str(exc)[:120]}",
                verdict=VerdictStatus.ERROR,
            ) from None
        mismatch = compare_outcomes(
            _outcome(baseline.output),
            candidate,
            problem.compare,
            problem.kind,
            given=workload,
            checker=problem.checker(),
        )
        if mismatch is None:
            return
        if mismatch.kind == "error":  # the problem's checker failed
            raise MeasurementError(
                f"on the workload, {mismatch.actual[:200]}",
                verdict=VerdictStatus.ERROR,
                counterexample=Counterexample(
                    input="", expected=mismatch.expected, actual=mismatch.actual, kind="checker"
                ),
            )
        raise MeasurementError(
            f"candidate's output on the workload differs from the original's "
            f"({mismatch.kind}): expected {mismatch.expected[:80]}, got {mismatch.actual[:80]}",
            verdict=VerdictStatus.NOT_EQUIVALENT,
            counterexample=Counterexample(
                input="", expected=mismatch.expected, actual=mismatch.actual, kind=mismatch.kind
            ),
        )
    if not problem.compare.by_digest:
        # under a tolerant policy, a checker or allowed mutation, another digest is no
        # evidence of another answer: without both outcomes nothing is known either way
        raise MeasurementError(
            "the output on the workload is too large to compare under the problem's "
            f"compare policy ({problem.compare.describe(problem.kind)}); not measured"
        )
    raise MeasurementError(
        "candidate's output on the workload differs from the original's (output digest)",
        verdict=VerdictStatus.NOT_EQUIVALENT,
    )


WORKLOAD_INPUT_CHARS = 2000
"""How much of the workload a verdict on it shows as its counterexample's input."""


def workload_verdict(problem: Problem, error: MeasurementError) -> Verdict | None:
    """The verdict a failure on the benchmark workload gives the candidate: everything the
    harness runs is evidence, so a wrong output, crash, timeout or policy violation there
    overturns an ``equivalent`` verdict, with the workload as the counterexample. None for
    failures that say nothing about the candidate (the original's, the harness's)."""
    if error.side != "candidate" or error.verdict is None:
        return None
    found = error.counterexample
    try:
        shown = repr(problem.workload(error.workload_seed))
    except Exception as exc:  # the workload built fine for the measurement itself
        shown = f"<the workload of {problem.key}: {type(exc).__name__}>"
    if len(shown) > WORKLOAD_INPUT_CHARS:
        shown = shown[: WORKLOAD_INPUT_CHARS - 30] + f"... [{len(shown)} chars]"
    counterexample = Counterexample(
        input=(
            f"the benchmark workload (seed {error.workload_seed}): {shown}"
            if error.workload_seed is not None
            else f"the benchmark workload: {shown}"
        ),
        expected=found.expected if found else "the original's output",
        actual=found.actual if found else error.reason,
        kind=found.kind if found else error.verdict.value,
    )
    return Verdict(
        error.verdict,
        Stage.WORKLOAD,
        message=f"on the benchmark workload: {error.reason}",
        counterexample=counterexample,
    )


def _outcome(wire_json: str) -> Outcome:
    wire = codec.loads_bounded(wire_json)
    for key in ("value", "args_after"):
        if key in wire:
            wire[key] = codec.decode(wire[key])
    return Outcome.from_wire(wire)
