"""What a run left in a store, in a form two runs can be compared by."""

from __future__ import annotations

from dataclasses import dataclass

from optbench.store import Store

PROBLEMS = "pair-sum-count,range-sum-queries"
RUN_ARGS = [
    "run",
    "--technique",
    "identity,reference",
    "--problems",
    PROBLEMS,
    "--profile",
    "smoke",
    "--examples",
    "30",
]


@dataclass
class Outcomes:
    verdicts: list[tuple[str, str, str | None]]
    """(problem, technique, verdict status) per candidate, sorted."""
    measured: int
    duplicate_slots: int
    machines: set[str]


def outcomes(store: Store, run_id: int) -> Outcomes:
    candidates = store.candidates(run_id)
    measurements = [store.measurement(c.id) for c in candidates]
    return Outcomes(
        verdicts=sorted((c.problem_id, c.technique, c.verdict_status) for c in candidates),
        measured=sum(m is not None for m in measurements),
        duplicate_slots=len(candidates) - len({c.slot_key for c in candidates}),
        machines={str(m.machine.get("machine_id")) for m in measurements if m is not None},
    )


EXPECTED = [
    ("pair-sum-count", "identity", "equivalent"),
    ("pair-sum-count", "reference", "equivalent"),
    ("range-sum-queries", "identity", "equivalent"),
    ("range-sum-queries", "reference", "equivalent"),
]
