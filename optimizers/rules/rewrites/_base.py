"""What every rewrite rule gets: the module's kind and the names already taken."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from optimizers.rules.rewrites._analysis import ScopeInfo, module_names, parents, scopes


@dataclass
class RuleEnv:
    kind: str = "function"
    """``function`` or ``program``: some rules only apply to programs (stdin/stdout)."""
    entry_point: str | None = None
    taken: set[str] = field(default_factory=set)
    """Every name in the module, plus the fresh names rules have introduced."""


@dataclass(frozen=True)
class Rule:
    name: str
    summary: str
    apply_once: Callable[[ast.Module, RuleEnv], bool]
    """Rewrites one site and returns True, or returns False when no site is left."""
    kinds: tuple[str, ...] = ("function", "program")


def scope_infos(tree: ast.Module, env: RuleEnv) -> list[ScopeInfo]:
    """Fresh analyses of the module and of every function in it."""
    bound = module_names(tree)
    parent_map = parents(tree)
    return [ScopeInfo.of(node, bound, parent_map) for node in scopes(tree)]
