"""``perf_conditioned``: performance-conditioned prompting.

PIE (Shypula et al., 2024) trains models on programs tagged with their performance score and
asks, at inference, for a program with the top tag ("<score>10/10</score>"). Here the tag
conditions the prompt of any model: the original is tagged with ``original_score`` and the
model is asked for a version that earns ``<score>{score}/{scale}</score>``. Arguments:

* ``score`` — the target score tag (default the top of the scale).
* ``scale`` — the top of the score scale.
* ``original_score`` — the tag shown on the original code.
* ``temperature``, ``samples``, ``max_new_tokens`` — sampling.
"""

from __future__ import annotations

from collections.abc import Iterator

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, technique
from optbench.techniques.prompting import describe_problem, render
from optbench.techniques.registry import Technique
from optimizers._prompting import ask


@technique(
    "perf_conditioned",
    family="prompt engineering",
    summary="PIE's performance-conditioned prompt: ask for code that earns <score>10/10</score>.",
    citation="Shypula et al. 2024 (PIE, performance-conditioned generation)",
)
class PerfConditioned(Technique):
    def __init__(
        self,
        score: int = 10,
        scale: int = 10,
        original_score: int = 1,
        temperature: float = 0.0,
        samples: int = 1,
        max_new_tokens: int = 2048,
    ) -> None:
        if not 1 <= original_score <= scale or not 1 <= score <= scale:
            raise ValueError(f"scores must lie in 1..{scale}")
        if samples < 1:
            raise ValueError("samples must be >= 1")
        self.score, self.scale, self.original_score = score, scale, original_score
        self.temperature = temperature
        self.samples = samples
        self.max_new_tokens = max_new_tokens

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        prompt = render(
            "perf_conditioned",
            problem=describe_problem(problem),
            score=self.score,
            scale=self.scale,
            original_score=self.original_score,
        )
        yield from ask(
            ctx,
            problem,
            prompt,
            temperature=self.temperature,
            max_new_tokens=self.max_new_tokens,
            n=self.samples,
            extra={"target_score": f"{self.score}/{self.scale}"},
        )
