"""AST rewrites of well-known Python performance patterns (the ``rules`` technique).

Each :class:`Rule` rewrites one site at a time with ``ast`` and is applied only where a
conservative analysis (:mod:`._analysis`) proves the behaviour unchanged; everything else is
left alone. :func:`apply_rules` runs every rule to a fixed point and returns the new source
(``ast.unparse``: comments are dropped) with the rules that fired.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Sequence
from dataclasses import dataclass, field

from optimizers.rules.rewrites._analysis import names_in
from optimizers.rules.rewrites._base import Rule, RuleEnv
from optimizers.rules.rewrites.containers import (
    comprehension_builtin,
    deque_popleft,
    drop_list_copy,
    list_concat_append,
    membership_set,
    sorted_index_minmax,
)
from optimizers.rules.rewrites.loops import (
    builtin_any_all,
    builtin_minmax,
    hoist_len,
    hoist_method,
    range_len_iteration,
    str_concat_join,
)
from optimizers.rules.rewrites.memo import memoize_recursion
from optimizers.rules.rewrites.stdio import print_buffer, stdin_readline

RULES: tuple[Rule, ...] = (
    Rule("membership_set", "x in [constants] (or a local list only tested) → a set", membership_set),
    Rule("str_concat_join", 's = ""; s += piece in a loop → list of parts + "".join', str_concat_join),
    Rule("range_len_iteration", "for i in range(len(x)) using x[i] → for item in x / enumerate", range_len_iteration),
    Rule("builtin_minmax", "manual max/min accumulation loop → max()/min()", builtin_minmax),
    Rule("builtin_any_all", "search loop with return/flag+break → any()/all()", builtin_any_all),
    Rule("sorted_index_minmax", "sorted(x)[0] / sorted(x)[-1] → min(x) / max(reversed(x))", sorted_index_minmax),
    Rule("memoize_recursion", "pure recursive function → memoized (lru_cache semantics, inline)", memoize_recursion),
    Rule("deque_popleft", "list used as a queue with pop(0) → collections.deque.popleft()", deque_popleft),
    Rule("list_concat_append", "x = x + [y] / x += [y] → x.append(y)", list_concat_append),
    Rule("drop_list_copy", "list(...) made only to iterate or re-copy → iterate directly", drop_list_copy),
    Rule("comprehension_builtin", "set([...]) / dict([...]) / list([...]) → a comprehension", comprehension_builtin),
    Rule("stdin_readline", "input() → sys.stdin.readline bound once (same newline/EOF semantics)", stdin_readline, ("program",)),
    Rule("print_buffer", "print() in loops → collected and written once (kept on crash)", print_buffer, ("program",)),
    Rule("hoist_len", "len(x) of a loop-invariant x → computed once before the loop", hoist_len),
    Rule("hoist_method", "x.append / s.add looked up in a loop → bound once before it", hoist_method),
)  # fmt: skip
"""In application order: hoisting comes last so it also hoists what other rules introduce."""

MAX_SITES = 50
"""Sites one rule may rewrite in one module (a guard against a rule that never settles)."""


@dataclass
class RewriteResult:
    code: str
    applied: list[str] = field(default_factory=list)
    """``name`` of each rule that fired, once per rewritten site, in order."""
    failed: list[str] = field(default_factory=list)
    """Rules skipped because they raised or produced code that does not compile."""

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def rule_names() -> list[str]:
    return [rule.name for rule in RULES]


def apply_rules(
    source: str,
    kind: str = "function",
    entry_point: str | None = None,
    rules: Sequence[str] | None = None,
) -> RewriteResult:
    """Apply the rules (all, or those named) to ``source``; the source unchanged if none fires."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return RewriteResult(source)
    unknown = set(rules or ()) - set(rule_names())
    if unknown:
        raise ValueError(f"unknown rewrite rule(s) {sorted(unknown)}; known: {rule_names()}")
    selected = [r for r in RULES if rules is None or r.name in rules]
    result = RewriteResult(source)
    env = RuleEnv(kind=kind, entry_point=entry_point, taken=names_in(tree))
    for rule in selected:
        if kind not in rule.kinds:
            continue
        trial = copy.deepcopy(tree)
        trial_env = RuleEnv(kind=kind, entry_point=entry_point, taken=set(env.taken))
        count = 0
        try:
            while count < MAX_SITES and rule.apply_once(trial, trial_env):
                count += 1
            ast.fix_missing_locations(trial)
            compile(trial, "<rewrite>", "exec")
        except Exception:
            result.failed.append(rule.name)
            continue
        if count:
            tree, env = trial, trial_env
            result.applied += [rule.name] * count
    if result.applied:
        result.code = ast.unparse(tree) + "\n"
    return result


__all__ = ["RULES", "RewriteResult", "Rule", "RuleEnv", "apply_rules", "rule_names"]
