"""``reference``: the dataset's own fast version.

The human-expert line, what PIE reports as "best human". Problems without a reference
yield nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, technique
from optbench.techniques.registry import Technique


@technique(
    "reference",
    family="baseline",
    summary="The dataset's reference fast version (PIE's 'best human').",
    uses_model=False,
    paper="Shypula et al., 'Learning Performance-Improving Code Edits' (PIE), ICLR 2024: "
    "the 'best human' submission",
    differences=(
        "PIE's best human is the fastest accepted submission of the problem; here it is the "
        "dataset's one reference fast version, measured like any candidate.",
    ),
)
class Reference(Technique):
    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        if problem.fast_source is not None:
            yield ctx.candidate(problem.fast_source)
