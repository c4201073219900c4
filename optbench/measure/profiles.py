"""Measurement profiles: how much time a measurement may spend to be how sure.

A value is the time of one execution (exec of the module + call of the entry point on
the workload), averaged over ``loops`` executions, where ``loops`` is the smallest power
of two making a value last ``min_time``. Each profile runs ``processes`` pyperf worker
processes of ``warmups`` + ``values`` values each, so ``processes * values`` values per
side, plus ``memory_runs`` untraced executions (VmHWM; the first is the probe every
measurement starts with) and ``traced_runs`` executions under tracemalloc, each in its
own process, for peak memory.

tracemalloc slows allocation-heavy code down by up to ~25x, and its peak is
deterministic for deterministic code, so the default profile traces once and the quick
profile not at all (its memory metric is the probe's VmHWM).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class MeasureProfile:
    name: str
    processes: int
    values: int
    warmups: int
    min_time: float
    """Seconds one pyperf value should last at least (sets the number of loops)."""
    memory_runs: int
    """Untraced executions per side whose VmHWM is recorded (at least the probe)."""
    traced_runs: int
    """Executions per side under tracemalloc (the primary memory metric); with 0 the
    memory metric is the VmHWM of the untraced runs."""
    timeout_s: float
    """Limit for one execution of the code on the workload; a pyperf worker gets a
    limit scaled from it and from the number of loops."""
    description: str

    @property
    def n_values(self) -> int:
        return self.processes * self.values

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


PROFILES: dict[str, MeasureProfile] = {
    p.name: p
    for p in (
        MeasureProfile(
            name="quick",
            processes=3,
            values=2,
            warmups=1,
            min_time=0.05,
            memory_runs=1,
            traced_runs=0,
            timeout_s=60.0,
            description=(
                "Screening (CI, large batches): 3 processes x 2 values, 1 warmup, values of "
                ">= 50 ms; peak memory is the probe run's VmHWM (no tracemalloc run, which "
                "slows allocation-heavy code ~25x). Intervals are wide; use it to find "
                "candidates worth a closer look."
            ),
        ),
        MeasureProfile(
            name="default",
            processes=8,
            values=3,
            warmups=1,
            min_time=0.1,
            memory_runs=3,
            traced_runs=1,
            timeout_s=120.0,
            description=(
                "Everyday measurement: 8 processes x 3 values, 1 warmup, values of >= 100 ms; "
                "three untraced memory runs and one traced."
            ),
        ),
        MeasureProfile(
            name="rigorous",
            processes=20,
            values=5,
            warmups=2,
            min_time=0.1,
            memory_runs=5,
            traced_runs=3,
            timeout_s=300.0,
            description=(
                "Final numbers for a paper: 20 processes x 5 values, 2 warmups, values of "
                ">= 100 ms; five untraced memory runs and three traced."
            ),
        ),
    )
}


def get_profile(profile: str | MeasureProfile) -> MeasureProfile:
    if isinstance(profile, MeasureProfile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        raise ValueError(
            f"unknown measurement profile {profile!r}; known: {', '.join(PROFILES)}"
        ) from None
