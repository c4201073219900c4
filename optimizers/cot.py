"""``cot``: chain-of-thought prompting — reason first, then code.

The model names the bottlenecks, the current and reachable complexity and a plan before it
writes the code (Wei et al., 2022; applied to code optimization in the survey of Gong et al.,
2025, Table 3, and in PIE, Shypula et al., 2024). The text outside the code block is stored in
``candidate.reasoning``. Arguments:

* ``temperature`` — sampling temperature.
* ``samples`` — completions drawn from the one prompt.
* ``max_new_tokens`` — the completion's length limit (reasoning included, so larger).
"""

from __future__ import annotations

from collections.abc import Iterator

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, technique
from optbench.techniques.registry import Technique
from optimizers._prompting import ask, describe_problem, render


@technique(
    "cot",
    family="prompt engineering",
    summary="Chain of thought: bottlenecks, complexity and a plan first, then the code.",
    citation="Wei et al. 2022; Gong et al. 2025 (survey, Table 3); Shypula et al. 2024 (PIE)",
)
class ChainOfThought(Technique):
    def __init__(
        self, temperature: float = 0.0, samples: int = 1, max_new_tokens: int = 4096
    ) -> None:
        if samples < 1:
            raise ValueError("samples must be >= 1")
        self.temperature = temperature
        self.samples = samples
        self.max_new_tokens = max_new_tokens

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        prompt = render("cot", problem=describe_problem(problem))
        yield from ask(
            ctx,
            problem,
            prompt,
            temperature=self.temperature,
            max_new_tokens=self.max_new_tokens,
            n=self.samples,
            keep_reasoning=True,
        )
