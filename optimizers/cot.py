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

from optbench.techniques import technique
from optimizers._prompting import SinglePromptTechnique


@technique(
    "cot",
    family="prompt engineering",
    summary="Chain of thought: bottlenecks, complexity and a plan first, then the code.",
    citation="Wei et al. 2022; Gong et al. 2025 (survey, Table 3)",
    paper="Shypula et al., 'Learning Performance-Improving Code Edits' (PIE), ICLR 2024: "
    "chain-of-thought prompting",
    differences=(
        "The reasoning is structured (bottlenecks, complexity, plan) instead of PIE's free "
        "'let's think step by step'; it is stored with the candidate.",
    ),
)
class ChainOfThought(SinglePromptTechnique):
    template_name = "cot"
    keep_reasoning = True

    def __init__(
        self, temperature: float = 0.0, samples: int = 1, max_new_tokens: int = 4096
    ) -> None:
        super().__init__(temperature, samples, max_new_tokens)
