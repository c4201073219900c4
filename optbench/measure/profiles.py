"""Measurement profiles: how much time a measurement may spend to be how sure.

A value is the CPU time of one execution (exec of the module + call of the entry point on
the workload) in a fresh child of a pyperf worker, read by the worker from the kernel.
There is one execution per value, never a loop of them: a later execution in the same
process could find the answer an earlier one left behind. Each profile runs ``processes`` pyperf worker
processes of ``warmups`` + ``values`` values each, so ``processes * values`` values per
side, plus ``memory_runs`` probes (the first is the one every measurement starts with),
each one execution in its own process, for peak memory: what the execution added to its
process's resident set, read from the kernel by the process's trusted parent. A candidate's timing alternates with a fresh timing of
the original in ``rounds`` rounds (see :mod:`optbench.measure.harness`).
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
    memory_runs: int
    """Probes per side (the first one included) whose peak memory is recorded."""
    timeout_s: float
    """Limit for one execution of the code on the workload; a pyperf worker gets a
    limit scaled from it."""
    description: str
    rounds: int = 0
    """A candidate's pyperf processes and the original's are run alternately in this many
    rounds (original first in even rounds, candidate first in odd ones), so that a drift
    of the machine's speed weighs on both sides alike; 0 means one round per process."""

    @property
    def n_values(self) -> int:
        return self.processes * self.values

    def round_sizes(self) -> list[int]:
        """Processes per round, as even as possible, largest first."""
        rounds = max(1, min(self.rounds or self.processes, self.processes))
        share, extra = divmod(self.processes, rounds)
        return [share + (i < extra) for i in range(rounds)]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


PROFILES: dict[str, MeasureProfile] = {
    p.name: p
    for p in (
        MeasureProfile(
            name="smoke",
            processes=2,
            values=1,
            warmups=0,
            memory_runs=1,
            timeout_s=60.0,
            rounds=2,
            description=(
                "Checks that a pipeline runs end to end (tests, CI, a new dataset): "
                "2 processes x 1 value, no warmup, in 2 rounds. "
                "Its speedups are real but too rough to compare techniques with."
            ),
        ),
        MeasureProfile(
            name="quick",
            processes=5,
            values=1,
            warmups=0,
            memory_runs=1,
            timeout_s=60.0,
            rounds=2,
            description=(
                "Screening (CI, large batches): 5 processes x 1 value, no warmup (each value "
                "runs in a fresh child of a worker that has loaded everything the code "
                "imports), in 2 rounds; peak memory from the probe run. "
                "Intervals are wide; use it to find candidates worth a closer look."
            ),
        ),
        MeasureProfile(
            name="default",
            processes=8,
            values=3,
            warmups=1,
            memory_runs=3,
            timeout_s=120.0,
            rounds=4,
            description=(
                "Everyday measurement: 8 processes x 3 values, 1 warmup, in 4 rounds; peak memory from three runs."
            ),
        ),
        MeasureProfile(
            name="rigorous",
            processes=20,
            values=5,
            warmups=2,
            memory_runs=5,
            timeout_s=300.0,
            rounds=5,
            description=(
                "Final numbers for a paper: 20 processes x 5 values, 2 warmups, in 5 rounds; peak memory from five runs."
            ),
        ),
        MeasureProfile(
            name="instructions",
            processes=1,
            values=1,
            warmups=0,
            memory_runs=1,
            timeout_s=60.0,
            rounds=1,
            description=(
                "Deterministic: the instructions each side executes on the problem's default "
                "workload, counted once by valgrind's cachegrind (about 30-50x slower than a "
                "native run, no core held), start-up subtracted; the speedup is the ratio "
                "of the counts, its interval the measured run-to-run spread of a count. "
                "Needs valgrind; no memory metric (see optbench.measure.instructions)."
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
