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

from optbench.techniques import technique
from optimizers._prompting import SinglePromptTechnique


@technique(
    "zero_shot",
    family="prompt engineering",
    summary="Instruction prompt: the slow code and its contract, 'make it faster, same behaviour'.",
    citation="Gong et al. 2025 (survey, Table 3)",
    paper="Shypula et al., 'Learning Performance-Improving Code Edits' (PIE), ICLR 2024: "
    "instruction prompting",
    differences=(
        "The prompt also states the contract (entry point or stdin→stdout) and the output "
        "comparison policy, which PIE's instruction leaves implicit.",
    ),
)
class ZeroShot(SinglePromptTechnique):
    template_name = "zero_shot"
