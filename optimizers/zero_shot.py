"""``zero_shot``: instruction prompting.

The prompt shows the slow code, its contract (the entry point, or "program: stdin → stdout")
and the comparison policy, and asks to make it faster with exactly the same behaviour; the
baseline prompt of the survey (Gong et al., 2025, Table 3) and of PIE (Shypula et al., 2024).
Candidates are yielded unevaluated; the runner verifies and measures them. Arguments:

* ``temperature`` — sampling temperature (0 = greedy).
* ``samples`` — completions drawn from the one prompt (``sample`` is set on each).
* ``max_new_tokens`` — the completion's length limit.
"""

from __future__ import annotations

from collections.abc import Iterator

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, technique
from optbench.techniques.registry import Technique
from optimizers._prompting import ask, describe_problem, render


@technique(
    "zero_shot",
    family="prompt engineering",
    summary="Instruction prompt: the slow code and its contract, 'make it faster, same behaviour'.",
    citation="Gong et al. 2025 (survey, Table 3); Shypula et al. 2024 (PIE)",
)
class ZeroShot(Technique):
    def __init__(
        self, temperature: float = 0.0, samples: int = 1, max_new_tokens: int = 2048
    ) -> None:
        if samples < 1:
            raise ValueError("samples must be >= 1")
        self.temperature = temperature
        self.samples = samples
        self.max_new_tokens = max_new_tokens

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        prompt = render("zero_shot", problem=describe_problem(problem))
        yield from ask(
            ctx,
            problem,
            prompt,
            temperature=self.temperature,
            max_new_tokens=self.max_new_tokens,
            n=self.samples,
        )
