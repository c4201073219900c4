"""``my_technique``: one line on what it does.

Which work it follows (authors, year). Arguments:

* ``temperature`` — sampling temperature of the model.

Copy this file to ``optimizers/<name>.py``, rename the class and the registered name,
and write ``optimize``. It is listed by ``optbench techniques list`` and usable with
``optbench run --technique my_technique(temperature=0.2)``. Prompts go in
``optbench/techniques/prompts/<name>.txt``.
"""

from __future__ import annotations

from collections.abc import Iterator

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context
from optbench.techniques.registry import Technique

# Uncomment to register (files starting with "_" are not loaded):
# @technique(
#     "my_technique",
#     family="prompt engineering",
#     summary="...",
#     paper="Authors, 'Title', Venue Year: the method this implements",
#     differences=("every deliberate difference from that method, one sentence each",),
# )


class MyTechnique(Technique):
    def __init__(self, temperature: float = 0.2) -> None:
        self.temperature = temperature

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        # Ask ctx.model for code, wrap it with ctx.candidate(code), optionally
        # ctx.evaluate(candidate) for feedback, and yield every candidate you propose.
        yield ctx.candidate(problem.slow_source)
