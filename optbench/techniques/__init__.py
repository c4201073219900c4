"""The technique interface: ``optimize(problem, ctx) -> iterator of candidates``.

Techniques live in the top-level ``optimizers`` package, one module each, registered by
name with :func:`technique`. They use only what the :class:`Context` gives them: the model,
the evaluator, a retriever, the budget and a seeded RNG.
"""

from optbench.techniques.context import Budget, BudgetExhausted, Context, Feedback
from optbench.techniques.registry import (
    Technique,
    TechniqueInfo,
    create_technique,
    list_techniques,
    parse_technique_spec,
    technique,
    technique_info,
)

__all__ = [
    "Budget",
    "BudgetExhausted",
    "Context",
    "Feedback",
    "Technique",
    "TechniqueInfo",
    "create_technique",
    "list_techniques",
    "parse_technique_spec",
    "technique",
    "technique_info",
]
