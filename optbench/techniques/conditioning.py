"""PIE's performance-conditioned generation: score tags, computed and shown the same way for
training data and for the technique that asks for the top tag.

PIE (Shypula et al., ICLR 2024) tags each training program with a score: the bucket of its
running time's percentile among all correct programs for the same problem (10 buckets, 10 the
fastest); a model fine-tuned on tagged pairs is then asked for a ``10/10`` program. Here the
running times are the measured speedups of the equivalent versions of one problem (the
original at 1.0, the reference and every equivalent candidate stored): :func:`score_buckets`
turns them into tags, and :func:`conditioned_messages` is the chat that both
``optbench train sft --conditioned`` records (with the target's tag) and ``perf_conditioned``
sends (with the top tag), so the pair works end to end.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from optbench.core.problem import Problem
from optbench.models import Message
from optbench.techniques.prompting import chat, describe_problem, render

SCALE = 10
"""PIE's number of score buckets."""


def score_bucket(percentile: float, scale: int = SCALE) -> int:
    """The tag of a version at ``percentile`` in (0, 1] (the share of the problem's versions
    it is at least as fast as): 1 for the slowest bucket, ``scale`` for the fastest."""
    if not 0.0 < percentile <= 1.0:
        raise ValueError(f"percentile must lie in (0, 1], got {percentile}")
    return max(1, min(scale, math.ceil(percentile * scale)))


def score_buckets(speedups: Mapping[str, float], scale: int = SCALE) -> dict[str, int]:
    """Tags for the equivalent versions of one problem, keyed as given, from their speedups
    over the original (higher is faster). Ties share the higher percentile, so equal
    versions get equal tags."""
    if not speedups:
        return {}
    values = sorted(speedups.values())
    n = len(values)
    out: dict[str, int] = {}
    for key, value in speedups.items():
        at_least_as_fast = sum(1 for v in values if v <= value)
        out[key] = score_bucket(at_least_as_fast / n, scale)
    return out


def conditioned_prompt(
    problem: Problem, score: int, *, scale: int = SCALE, original_score: int = 1
) -> str:
    """The user message: the original tagged ``original_score``, the request for ``score``."""
    if not 1 <= score <= scale or not 1 <= original_score <= scale:
        raise ValueError(f"scores must lie in 1..{scale}")
    return render(
        "perf_conditioned",
        problem=describe_problem(problem),
        score=score,
        scale=scale,
        original_score=original_score,
    )


def conditioned_messages(
    problem: Problem, score: int, *, scale: int = SCALE, original_score: int = 1
) -> list[Message]:
    """System message and :func:`conditioned_prompt`: what training data records as the
    prompt of a target tagged ``score`` and what the technique sends."""
    return chat(conditioned_prompt(problem, score, scale=scale, original_score=original_score))
