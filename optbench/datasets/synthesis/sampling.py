"""Drawing inputs from a ``build`` function outside any test: the samples the original
judges, and the ones ``datasets show`` prints."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from optbench.datasets.synthesis.draw import Build, EdgeDraw, HypothesisDraw, RandomDraw


def hypothesis_samples(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` derandomized draws of ``strategy`` (duplicates dropped)."""
    drawn: list[Any] = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(value: Any) -> None:
        if value not in drawn:
            drawn.append(value)

    draw()
    return drawn


def small_samples(build: Build, count: int) -> list[Any]:
    """Inputs at the given tests' scale: Hypothesis draws (which favour the smallest
    cases) and as many seeded ones: random ones (which spread over the ranges) and, a
    third of them, ones at the edges of the ranges (:class:`EdgeDraw`)."""

    @st.composite
    def small(draw: Any) -> Any:
        return build(HypothesisDraw(draw), 1.0)

    drawn = hypothesis_samples(small(), count)
    edges = count // 3
    randoms = [build(RandomDraw(random.Random(seed)), 1.0) for seed in range(count - edges)]
    randoms += [build(EdgeDraw(random.Random(seed)), 1.0) for seed in range(edges)]
    mixed = [text for pair in zip(drawn, randoms, strict=False) for text in pair]
    mixed += drawn[len(randoms) :] + randoms[len(drawn) :]
    unique: dict[str, Any] = {}
    for value in mixed:  # argument tuples may hold lists: not hashable, so keyed by repr
        unique.setdefault(repr(value), value)
    return list(unique.values())[: 2 * count]
