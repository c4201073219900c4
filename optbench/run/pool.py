"""The retrieval pool of a run: the problems ``few_shot`` and ``rag`` may show as examples.

The pool is named by ``retrieve_from`` (``DATASET[:SPLIT]``); by default it is the train
split of the evaluated dataset when that dataset declares one, and there is none
otherwise. Whatever it is named, the pool is guarded against the run's evaluated problems
(:mod:`optbench.datasets.overlap`): a pool problem with an evaluated problem's id, a copy
of one of its sources, or a near-duplicate of one is dropped, and how many were dropped
for which reason is recorded in the run's config. Naming the evaluated dataset itself is
therefore safe: what remains is what is not near any evaluated problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from optbench.core.problem import Problem
from optbench.datasets import Dataset, ProblemLoadError, load_split
from optbench.datasets.overlap import NEAR_DUPLICATE, OverlapGuard, guard_pool

NO_POOL = "none"


@dataclass
class RetrievalPool:
    spec: str
    """``DATASET[:SPLIT]`` as resolved, or ``none``."""
    problems: list[Problem] = field(default_factory=list)
    """The pool after the guard: what techniques may show."""
    size: int = 0
    """Problems of the named pool that have a reference fast version, before the guard."""
    dropped: dict[str, list[str]] = field(default_factory=dict)
    closest: float | None = None
    """The highest similarity of a kept pool problem to an evaluated problem."""
    missing: str = ""
    """Why there is no pool, when there is none."""

    @property
    def dropped_count(self) -> int:
        return sum(len(ids) for ids in self.dropped.values())

    def record(self) -> dict[str, Any]:
        """What the run's config keeps of it."""
        return {
            "retrieve_from": self.spec,
            "pool_size": self.size,
            "kept": sorted(p.id for p in self.problems),
            "dropped": {reason: len(ids) for reason, ids in sorted(self.dropped.items())},
            "dropped_ids": {reason: sorted(ids) for reason, ids in sorted(self.dropped.items())},
            "near_duplicate_threshold": NEAR_DUPLICATE,
            "closest_kept": None if self.closest is None else round(self.closest, 4),
        }

    def describe(self) -> str:
        if self.spec == NO_POOL:
            return f"no retrieval pool ({self.missing})"
        dropped = ", ".join(f"{len(ids)} {reason}" for reason, ids in sorted(self.dropped.items()))
        return f"retrieval pool {self.spec}: {len(self.problems)} of {self.size} problems kept" + (
            f"; dropped as overlapping the evaluated problems: {dropped}" if dropped else ""
        )


def default_retrieve_from(dataset_arg: str, dataset: Dataset) -> str:
    """The train split of the evaluated dataset when it has one, else ``none``."""
    return f"{dataset_arg}:train" if dataset.split("train") else NO_POOL


def retrieval_pool(
    retrieve_from: str, evaluated: Sequence[Problem], *, missing: str = ""
) -> RetrievalPool:
    """The guarded pool named by ``retrieve_from`` (``DATASET[:SPLIT]`` or ``none``).

    Raises ``ValueError`` for a spec that names no dataset or split."""
    if retrieve_from == NO_POOL:
        return RetrievalPool(NO_POOL, missing=missing or "--retrieve-from none")
    try:
        _, pool = load_split(retrieve_from)
    except (FileNotFoundError, ProblemLoadError) as exc:
        raise ValueError(str(exc)) from exc
    usable = [p for p in pool if p.fast_source]
    guard = OverlapGuard()
    guard.add_problems(evaluated)
    guarded = guard_pool(usable, guard)
    closest = [guard.closest(p.slow_source, p.fast_source) for p in guarded.kept]
    scores = [c.score for c in closest if c is not None]
    return RetrievalPool(
        spec=retrieve_from,
        problems=guarded.kept,
        size=len(usable),
        dropped=guarded.dropped,
        closest=max(scores) if scores else None,
        missing=""
        if guarded.kept
        else f"none of the {len(pool)} problems of {retrieve_from} has a reference fast "
        "version without overlapping the evaluated problems",
    )
