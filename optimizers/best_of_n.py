"""``best_of_n``: sample ``n`` candidates from one prompt; the run evaluates every one.

Repeated sampling (Chen et al., 2021, pass@k; Li et al., 2022, AlphaCode; best@k speedups in
PIE, Shypula et al., 2024): each candidate carries its ``sample`` index, so pass@k and
speedup@k are computed from the stored samples; the best is the one with the highest
fitness (equivalent first, then speedup). Arguments:

* ``n`` — samples to draw; ``None`` uses the run's budget (``ctx.budget.samples``).
* ``temperature`` — sampling temperature (> 0, or every sample is the same).
* ``max_new_tokens`` — the completion's length limit.
* ``prompt`` — ``zero_shot`` or ``cot``: the prompt the samples are drawn from.
"""

from __future__ import annotations

from collections.abc import Iterator

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, technique
from optbench.techniques.prompting import describe_problem, render
from optbench.techniques.registry import Technique
from optimizers._prompting import ask

PROMPTS = ("zero_shot", "cot")


@technique(
    "best_of_n",
    family="sampling",
    summary="Sample n candidates, evaluate all, keep all (pass@k, speedup@k).",
    citation="Chen et al. 2021 (pass@k); Li et al. 2022 (AlphaCode); Shypula et al. 2024 (PIE best@k)",
)
class BestOfN(Technique):
    def __init__(
        self,
        n: int | None = None,
        temperature: float = 0.8,
        max_new_tokens: int = 2048,
        prompt: str = "zero_shot",
    ) -> None:
        if n is not None and n < 1:
            raise ValueError("n must be >= 1")
        if prompt not in PROMPTS:
            raise ValueError(f"prompt must be one of {PROMPTS}, got {prompt!r}")
        self.n = n
        self.temperature = temperature
        self.max_new_tokens = max_new_tokens
        self.prompt = prompt

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        n = self.n if self.n is not None else max(1, ctx.budget.samples)
        text = render(self.prompt, problem=describe_problem(problem))
        candidates = ask(
            ctx,
            problem,
            text,
            temperature=self.temperature,
            max_new_tokens=self.max_new_tokens,
            n=n,
            keep_reasoning=self.prompt == "cot",
        )
        # every sample is yielded unevaluated: the run's verify phase checks them in
        # parallel and its measure phase times them together (the original once per round
        # for all n); nothing here depends on their verdicts
        yield from candidates
