"""Cost against benefit: which (technique, model) entries no other entry dominates."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from optbench.report._metrics import MetricsRow

COSTS = ("tokens", "tokens_in", "tokens_out", "gen_time_s")
BENEFITS = ("speedup_geomean", "speedup_mean", "correct_pct", "opt_pct")


@dataclass(frozen=True)
class CostPoint:
    technique: str
    model: str
    cost: float
    benefit: float
    on_front: bool


def pareto_front(points: Sequence[tuple[float, float]]) -> list[bool]:
    """For each (cost, benefit), whether no other point has cost <= and benefit >= with
    one of them strict. Points with a NaN coordinate are never on the front."""
    flags = []
    for i, (cost, benefit) in enumerate(points):
        if math.isnan(cost) or math.isnan(benefit):
            flags.append(False)
            continue
        dominated = any(
            j != i
            and c <= cost
            and b >= benefit
            and (c < cost or b > benefit)
            and not (math.isnan(c) or math.isnan(b))
            for j, (c, b) in enumerate(points)
        )
        flags.append(not dominated)
    return flags


def _cost(row: MetricsRow, cost: str) -> float:
    if cost == "tokens":
        return row.tokens_in.value + row.tokens_out.value
    value: float = getattr(row, cost).value
    return value


def cost_frontier(
    rows: Sequence[MetricsRow], *, cost: str = "tokens", benefit: str = "speedup_geomean"
) -> list[CostPoint]:
    """One point per row (``cost``: total tokens, tokens in/out or generation time;
    ``benefit``: a speedup or percentage of the row), flagged when on the Pareto front."""
    if cost not in COSTS:
        raise ValueError(f"cost must be one of {COSTS}, got {cost!r}")
    if benefit not in BENEFITS:
        raise ValueError(f"benefit must be one of {BENEFITS}, got {benefit!r}")
    pairs = [(_cost(r, cost), float(getattr(r, benefit).value)) for r in rows]
    return [
        CostPoint(r.technique, r.model, c, b, front)
        for r, (c, b), front in zip(rows, pairs, pareto_front(pairs), strict=True)
    ]
