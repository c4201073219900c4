"""``best_of_n``: sample ``n`` candidates from one prompt; the run evaluates every one.

PIE's Best@k (Shypula et al., ICLR 2024): ``k`` programs are sampled for each test program
at temperature 0.7 and the best correct one counts (Best@1 and Best@8 in the paper); the
same repeated sampling underlies pass@k (Chen et al., 2021) and AlphaCode (Li et al., 2022).
Each candidate carries its ``sample`` index, so the report estimates pass@k, %Opt@k and
Speedup@k for every ``k <= n`` from the ``n`` stored samples with the unbiased estimators of
:mod:`optbench.stats` (:func:`~optbench.stats.pass_at_k`, :func:`~optbench.stats.best_at_k`,
``optbench report --best-at K``), rather than from one draw of ``k``. Arguments:

* ``n`` — samples to draw; ``None`` uses the run's budget (``--samples``; 8 for PIE's Best@8).
* ``temperature`` — sampling temperature (PIE: 0.7; > 0, or every sample is the same).
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
    summary="PIE's Best@k: n samples at temperature 0.7, all verified and measured; pass@k "
    "and Speedup@k estimated without bias from the n.",
    paper="Shypula et al., 'Learning Performance-Improving Code Edits' (PIE), ICLR 2024: Best@k",
    citation="Chen et al. 2021 (pass@k); Li et al. 2022 (AlphaCode)",
    differences=(
        "PIE reports Best@k from k samples; here n >= k samples are drawn once and Best@k is "
        "the unbiased estimate over all k-subsets of them (same expectation, lower variance).",
        "A sample counts as optimized only when its speedup is significant (confidence "
        "interval above 1), not from one mean time as in PIE's gem5 simulation.",
    ),
)
class BestOfN(Technique):
    def __init__(
        self,
        n: int | None = None,
        temperature: float = 0.7,
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
            extra={"n": n, "temperature": self.temperature},
        )
        # every sample is yielded unevaluated: the run's verify phase checks them in
        # parallel and its measure phase times them together (the original once per round
        # for all n); nothing here depends on their verdicts
        yield from candidates
