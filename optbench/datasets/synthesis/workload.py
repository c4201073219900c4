"""Growing the workload until the original takes long enough to time the algorithm,
not the interpreter's start-up."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from optbench.datasets.synthesis.draw import Build, RandomDraw
from optbench.datasets.synthesis.original import Original

TARGET_S = (0.05, 0.5)
"""The original's time on the workload aimed for."""
AIM_S = 0.15
MAX_BYTES = 10 * 1024 * 1024
"""No workload is larger than this."""
MAX_SCALE = {"sizes": 10.0**6, "magnitudes": 10.0**3}
"""How far the scale may grow: counts and lengths up to a million times the given tests'
largest (:data:`~optbench.datasets.synthesis.draw.SIZE_CAP` bounds each anyway),
numbers only a thousand times (the constraints that bound them are not in the given
tests, and a number far beyond them is an input of another problem)."""
BISECTIONS = 5
GROWTH_TIMEOUT_S = 20.0


@dataclass
class WorkloadChoice:
    scale: float
    elapsed: float
    """The original's seconds on ``workload(seed=0)`` at ``scale``."""
    why: str
    """How the growth ended, in words."""


def _workload(build: Build, scale: float) -> Any:
    return build(RandomDraw(random.Random(0), top=True), scale)


def choose_scale(
    build: Build,
    original: Original,
    *,
    magnitudes: bool,
    measure: Callable[[Any], int] = len,
    max_size: int = MAX_BYTES,
) -> WorkloadChoice:
    """The smallest scale at which the original takes at least ``TARGET_S[0]`` on the
    workload without exceeding ``TARGET_S[1]``, or the largest it accepts below the
    caps. An original whose time does not grow with the scale keeps scale 1.
    ``measure`` sizes an input (characters of stdin; items of an argument tuple) and
    ``max_size`` bounds it."""
    cap = MAX_SCALE["magnitudes" if magnitudes else "sizes"]
    low, high = TARGET_S
    first = original.run(_workload(build, 1.0), GROWTH_TIMEOUT_S)
    if not first.accepted:
        return WorkloadChoice(
            1.0, 0.0, f"the original rejects the workload at scale 1 ({first.reason})"
        )
    scale, elapsed, current = 1.0, first.elapsed, measure(_workload(build, 1.0))
    why = "cap reached"
    while elapsed < low:
        factor = min(32.0, max(2.0, AIM_S / max(elapsed, 1e-4)))
        bigger = min(cap, scale * factor)
        if bigger <= scale:
            why = f"scale cap {cap:g} reached"
            break
        text = _workload(build, bigger)
        if measure(text) > max_size:
            why = f"input size cap {max_size:,} reached"
            bigger, text = _largest_below(build, scale, bigger, measure, max_size)
            if bigger <= scale:
                break
        if measure(text) <= current and not magnitudes:
            why = "the input stops growing"
            break
        run = original.run(text, GROWTH_TIMEOUT_S)
        if not run.accepted or run.elapsed > high:
            found = _bisect(build, original, scale, bigger)
            if found is not None:
                return found
            why = (
                f"the original rejects larger inputs ({run.reason})"
                if not run.accepted
                else "no scale lands within the target time"
            )
            break
        scale, elapsed, current = bigger, run.elapsed, measure(text)
    else:
        return WorkloadChoice(scale, elapsed, "target time reached")
    if scale > 1.0 and elapsed < 2 * first.elapsed:
        return WorkloadChoice(
            1.0, first.elapsed, "the original's time does not grow with the input"
        )
    return WorkloadChoice(scale, elapsed, why)


def _largest_below(
    build: Build, low: float, high: float, size: Callable[[Any], int], max_size: int
) -> tuple[float, Any]:
    text = _workload(build, low)
    for _ in range(BISECTIONS + 3):
        middle = math.sqrt(low * high)
        candidate = _workload(build, middle)
        if size(candidate) > max_size:
            high = middle
        else:
            low, text = middle, candidate
    return low, text


def _bisect(build: Build, original: Original, low: float, high: float) -> WorkloadChoice | None:
    """A scale between ``low`` (too fast) and ``high`` (too slow or rejected) that lands
    within the target time, else the slowest accepted one found (None: none better
    than ``low``)."""
    best: WorkloadChoice | None = None
    for _ in range(BISECTIONS):
        middle = math.sqrt(low * high)
        run = original.run(_workload(build, middle), GROWTH_TIMEOUT_S)
        if run.accepted and TARGET_S[0] <= run.elapsed <= TARGET_S[1]:
            return WorkloadChoice(middle, run.elapsed, "target time reached")
        if run.accepted and run.elapsed < TARGET_S[0]:
            low = middle
            best = WorkloadChoice(middle, run.elapsed, "the original rejects or is too slow beyond")
        else:
            high = middle
    return best
