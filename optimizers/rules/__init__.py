"""``rules``: a non-LLM baseline of AST rewrites of well-known Python performance patterns.

In the line of rule-based optimizers and linters (the survey's rule-based family, Gong et
al., 2025, Table 3; perflint; refurb): each rule in ``optimizers.rules.rewrites`` — set
membership, ``"".join`` string building, direct iteration instead of ``range(len(x))``,
builtins for manual max/min/any/all loops, ``sorted(x)[0]`` → ``min``, memoization of pure
recursion, deques for ``pop(0)`` queues, in-place ``append``, dropped copies, comprehensions,
fast stdin reads, buffered output, loop-invariant hoisting — rewrites only where a
conservative analysis proves the behaviour unchanged. One candidate carries every rewrite
that applied (``extra["rewrites"]``); nothing is yielded when none applies. The runner still
verifies the result. Arguments:

* ``rules`` — names of the rules to apply, comma-separated; empty for all of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, technique
from optbench.techniques.registry import Technique
from optimizers.rules.rewrites import apply_rules, rule_names


@technique(
    "rules",
    family="rule-based",
    summary="AST rewrites of known Python performance patterns, applied only where provably safe.",
    citation="Gong et al. 2025 (survey, Table 3: rule-based); perflint; refurb",
    uses_model=False,
    paper="No single paper: the survey's rule-based family, with rewrites in the manner of "
    "the perflint and refurb linters.",
    differences=(
        "Rewrites are applied only where an AST analysis shows them safe, and every result is "
        "still verified differentially like a model's candidate.",
    ),
)
class Rules(Technique):
    def __init__(self, rules: str = "") -> None:
        selected = [r.strip() for r in rules.split(",") if r.strip()]
        unknown = set(selected) - set(rule_names())
        if unknown:
            raise ValueError(f"unknown rule(s) {sorted(unknown)}; known: {rule_names()}")
        self.selected = selected or None

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        result = apply_rules(
            problem.slow_source, problem.kind.value, problem.entry_point, self.selected
        )
        for name in result.failed:
            ctx.log(f"rules: rule {name} failed on this code and was skipped")
        if not result.changed:
            ctx.log("rules: no rewrite applies")
            return
        counts = Counter(result.applied)
        yield ctx.candidate(result.code, extra={"rewrites": sorted(counts), "sites": dict(counts)})
