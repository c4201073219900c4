"""``identity``: return the original unchanged.

The noise floor of the whole chain: its speedup must measure ~1.00× and its %Opt must
stay near zero. If it does not, timing is not trustworthy on this machine.
"""

from __future__ import annotations

from collections.abc import Iterator

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, technique
from optbench.techniques.registry import Technique


@technique(
    "identity",
    family="baseline",
    summary="The original program, unchanged: the noise floor of the measurement.",
    uses_model=False,
    paper="No paper: the measurement's control (an identity candidate must measure ~1.00x).",
)
class Identity(Technique):
    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        yield ctx.candidate(problem.slow_source)
