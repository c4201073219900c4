"""``perf_conditioned``: performance-conditioned generation.

PIE (Shypula et al., ICLR 2024) fine-tunes a model on programs tagged with a performance
score — the bucket of their running time's percentile among the correct programs of the same
problem — and asks it at inference for a program with the top tag (``10/10``). The tags and
the prompt come from :mod:`optbench.techniques.conditioning`, the same module that renders
tagged training data, so a checkpoint trained on such data (``hf:DIR``) is asked exactly as it
was trained; with any other model this is a prompting variant of the method. The pair, end to
end::

    optbench run --split train --technique reference,best_of_n --model M   # measured versions
    optbench train data --from-runs 1 --conditioned --out tagged.jsonl
    optbench train sft --conditioned --base M --data tagged.jsonl --out ./pc
    optbench run --technique perf_conditioned --model hf:./pc

Arguments:

* ``score`` — the target score tag (default the top of the scale).
* ``scale`` — the top of the score scale (PIE: 10).
* ``original_score`` — the tag shown on the original code.
* ``temperature``, ``samples``, ``max_new_tokens`` — sampling.
"""

from __future__ import annotations

from collections.abc import Iterator

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, technique
from optbench.techniques.conditioning import conditioned_prompt
from optbench.techniques.registry import Technique
from optimizers._prompting import ask


@technique(
    "perf_conditioned",
    family="prompt engineering",
    summary="PIE's performance-conditioned generation: ask for code that earns "
    "<score>10/10</score> (the tags of optbench.techniques.conditioning).",
    paper="Shypula et al., 'Learning Performance-Improving Code Edits' (PIE), ICLR 2024: "
    "performance-conditioned generation",
    differences=(
        "PIE conditions a model fine-tuned on score-tagged programs (here: `optbench train "
        "data --conditioned` then `train sft --conditioned`); with a model that was not "
        "trained on the tags this is a prompting variant of the method.",
        "Tags are buckets of measured speedups among a problem's equivalent versions "
        "(original, reference, stored candidates) rather than of runtime percentiles among "
        "CodeNet's many accepted submissions.",
        "The original is shown with a fixed tag of its own (original_score, 1), in training "
        "data and at generation alike, not its measured percentile (unknown at generation).",
    ),
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
        prompt = conditioned_prompt(
            problem, self.score, scale=self.scale, original_score=self.original_score
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
