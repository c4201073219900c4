"""Whether a problem's workload costs about the same on every seed, and what it aims at.

A measurement draws the workload fresh at a seed of its own (:meth:`Problem.workload`), so
that a candidate cannot recognise a fixed input. Both sides are timed on the same draw, so
a speedup is unaffected by which seed it was; but a workload whose cost swings with the
seed (a recursion whose depth depends on where random obstacles fall, say) makes a run's
time unpredictable and some draws too short to time well. ``optbench datasets validate``
times the original, sandboxed, on the workloads of a few seeds (:func:`workload_cost`) and
flags a problem whose slowest draw costs more than :data:`COST_RATIO` times its fastest,
or whose draws fall outside :data:`COST_AIM_MS`.

A figure is the CPU time of one execution of the original on the draw, read from the
kernel by the sandboxed worker's trusted parent (:func:`optbench.measure.runs.run_probe`),
as a measurement's first probe is: rough (one execution), but enough to see a 3x swing.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from optbench.core.problem import Problem
from optbench.core.verdict import VerdictStatus

COST_SEEDS = 4
"""Seeds whose workloads are timed: 0, 1, ... (deterministic, so a warning names seeds
that reproduce it)."""
COST_RATIO = 3.0
"""A problem is flagged when its slowest draw costs more than this times its fastest."""
COST_AIM_MS = (50.0, 500.0)
"""...or when a draw costs less or more than this (milliseconds): the original should take
long enough to be timed well and short enough for a run to stay affordable."""
COST_CAP_S = 2.0
"""One draw may cost at most this (CPU seconds); the first draw over it ends the check,
so a workload that explodes on some seed costs the check a few seconds, not minutes."""
STARTUP_CPU_S = 0.5
"""CPU seconds allowed beside the cap for the untimed copy of the workload and, in the
worker that runs the execution in a child, its start-up: the sandbox's CPU limit (per
process) is the cap plus this, rounded up."""


@dataclass
class WorkloadCost:
    """What :func:`workload_cost` found: the milliseconds of each timed seed (``None``
    stands for the workload of a ``workload()`` without a seed), the seed whose draw ran
    past the cap (then the later seeds are not timed), and what falls short of the aims."""

    times_ms: dict[int | None, float] = field(default_factory=dict)
    over_cap: int | None = None
    capped: bool = False
    """Whether a draw ran past ``cap_s`` (``over_cap`` is its seed)."""
    cap_s: float = COST_CAP_S
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.warnings

    @property
    def ratio(self) -> float:
        """Slowest over fastest timed draw (1.0 with fewer than two)."""
        values = list(self.times_ms.values())
        if len(values) < 2:
            return 1.0
        return max(values) / max(min(values), 1e-6)

    def describe(self) -> str:
        """``"52-61 ms (1.2x, 4 seeds)"``, for a table cell."""
        if not self.times_ms:
            return f"over {self.cap_s:g} s (seed {_seed(self.over_cap)})"
        low, high = min(self.times_ms.values()), max(self.times_ms.values())
        count = len(self.times_ms) + self.capped
        if count == 1 and not self.capped:
            return f"{_ms(low)} (one draw)"
        span = (
            f"{_ms(low).removesuffix(' ms')}-{_ms(high)}"
            if not self.capped
            else f"{_ms(low)} to over {self.cap_s:g} s"
        )
        ratio = f"{self.ratio:.1f}x" if not self.capped else f">{self.cap_s * 1000 / low:.0f}x"
        return f"{span} ({ratio}, {count} seeds)"


def workload_cost(
    problem: Problem,
    *,
    seeds: int = COST_SEEDS,
    cap_s: float = COST_CAP_S,
    ratio: float = COST_RATIO,
    aim_ms: tuple[float, float] = COST_AIM_MS,
) -> WorkloadCost:
    """Time the original on the workloads of seeds ``0 .. seeds-1`` (one draw, the
    default one, when ``workload()`` takes no seed), each once in a sandboxed worker, and
    say what falls short: a ``ratio`` between slowest and fastest, draws outside ``aim_ms``,
    a draw over ``cap_s``. Raises :class:`~optbench.measure.runs.MeasurementError` (its
    ``workload_seed`` set) when the original fails on a draw, since every measurement on
    that seed would fail too, and ValueError naming the seed when ``workload(seed)`` raises."""
    from optbench.measure import runs
    from optbench.measure.runs import MeasurementError
    from optbench.sandbox import Limits, Sandbox

    order: list[int | None] = list(range(seeds)) if problem.workload_varies else [None]
    found = WorkloadCost(cap_s=cap_s)
    limits = Limits().with_(cpu_s=math.ceil(cap_s + STARTUP_CPU_S))
    with Sandbox(limits) as sandbox:
        for index, seed in enumerate(order):
            try:
                workload = problem.workload(seed)
            except Exception as exc:
                raise ValueError(
                    f"workload({_seed(seed)}) raised {type(exc).__name__}: {exc}"
                ) from exc
            runs.write_job(sandbox, problem, problem.slow_source, workload)
            started = time.monotonic()
            try:
                # a result file of its own per seed: a probe that writes none must not
                # find the one before it
                probe = runs.run_probe(sandbox, index, timeout=cap_s, cpu=None, side="original")
            except MeasurementError as exc:
                if not _over_cap(exc, time.monotonic() - started, cap_s):
                    exc.workload_seed = seed
                    raise
                elapsed = math.inf
            else:
                elapsed = probe.elapsed
            if elapsed > cap_s:
                found.over_cap, found.capped = seed, True
                break
            found.times_ms[seed] = elapsed * 1000
    found.warnings = cost_warnings(found, ratio=ratio, aim_ms=aim_ms)
    return found


def cost_warnings(
    found: WorkloadCost,
    *,
    ratio: float = COST_RATIO,
    aim_ms: tuple[float, float] = COST_AIM_MS,
) -> list[str]:
    """What ``found`` falls short of, one line each, naming the seeds."""
    warnings: list[str] = []
    times = found.times_ms
    if found.capped:
        warnings.append(
            f"seed {_seed(found.over_cap)} costs over {found.cap_s:g} s (later seeds not timed)"
        )
    if len(times) >= 2 and found.ratio > ratio:
        fastest = min(times, key=lambda s: times[s])
        slowest = max(times, key=lambda s: times[s])
        warnings.append(
            f"varies with the seed: {_ms(times[fastest])} (seed {_seed(fastest)}) to "
            f"{_ms(times[slowest])} (seed {_seed(slowest)}), {found.ratio:.1f}x "
            f"(more than {ratio:g}x)"
        )
    low, high = aim_ms
    below = [s for s, ms in times.items() if ms < low]
    above = [s for s, ms in times.items() if ms > high]
    if below:
        warnings.append(f"under {low:g} ms on {_seeds(below, times)}")
    if above:
        warnings.append(f"over {high:g} ms on {_seeds(above, times)}")
    return warnings


def _over_cap(exc: Exception, wall_s: float, cap_s: float) -> bool:
    """Whether a failed probe ran out of time rather than failed on its own: the
    wall-clock kill, or the CPU limit's signal (SIGXCPU, or SIGKILL where the soft limit
    is the hard one; a SIGKILL before ``cap_s`` has passed is something else, such as the
    memory limit)."""
    if getattr(exc, "verdict", None) is VerdictStatus.TIMEOUT or "SIGXCPU" in str(exc):
        return True
    return "SIGKILL" in str(exc) and wall_s >= cap_s


def _seed(seed: int | None) -> str:
    return "default" if seed is None else str(seed)


def _seeds(seeds: list[int | None], times: dict[int | None, float]) -> str:
    named = ", ".join(f"{_seed(s)} ({_ms(times[s])})" for s in seeds)
    return ("seed " if len(seeds) == 1 else "seeds ") + named


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"
