"""Memoization of pure recursive functions.

``functools.lru_cache`` is the textbook rewrite, but on CPython 3.11 its C wrapper counts
against the recursion limit as well: a cached function reaches about half the depth of the
original (490 against 990 with the default limit), so deep inputs that worked would raise
RecursionError. The memo is therefore written into the function itself — the same cache
(keyed by the arguments and their types, like ``lru_cache(typed=True)``), one Python frame
per level as before::

    _fib_memo = {}
    def fib(n):
        _key = (n, type(n))
        if _key in _fib_memo:
            return _fib_memo[_key]
        ...
        return _memo_put(_fib_memo, _key, <value>)

Applied only to a function that calls itself at least twice (or inside a loop), has plain
positional parameters used as scalars (arithmetic, comparisons, indices, arguments of its own
calls), reads nothing that may change between calls (its parameters and locals, builtins,
constants bound once, and free variables of the enclosing function that are bound once and
never mutated), writes nothing outside itself, and returns no mutable container it builds.
Only immutable scalar results are cached (``_memo_put`` checks the type), so no caller can
mutate a cached value; exceptions are never cached.
"""

from __future__ import annotations

import ast

from optimizers.rules.rewrites._analysis import (
    ScopeInfo,
    TypeInference,
    is_builtin_call,
    load,
    names_in,
    nested_scopes,
    parents,
    store,
    walk_scope,
)
from optimizers.rules.rewrites._analysis import module_names as bound_names
from optimizers.rules.rewrites._base import RuleEnv

PURE_BUILTINS = frozenset(
    {"min", "max", "abs", "len", "range", "int", "str", "bool", "sum", "divmod", "pow", "ord",
     "chr", "sorted", "tuple", "any", "all", "enumerate", "zip", "float", "round", "reversed",
     "list", "set", "frozenset", "map", "filter", "isinstance", "ValueError", "IndexError",
     "KeyError", "TypeError", "ZeroDivisionError", "RecursionError", "Exception"}
)  # fmt: skip
PURE_METHODS = frozenset(
    {"startswith", "endswith", "count", "find", "rfind", "isdigit", "isalpha", "isalnum",
     "islower", "isupper", "isspace", "lower", "upper", "strip", "get", "index", "keys",
     "values", "items"}
)  # fmt: skip
SCALAR_PARENTS = (ast.BinOp, ast.Compare, ast.UnaryOp, ast.BoolOp, ast.Slice, ast.IfExp)
MUTABLE_DISPLAYS = (ast.List, ast.ListComp, ast.Dict, ast.DictComp, ast.Set, ast.SetComp)


def memoize_recursion(tree: ast.Module, env: RuleEnv) -> bool:
    names = bound_names(tree)
    parent_map = parents(tree)
    module = ScopeInfo.of(tree, names, parent_map)
    for func in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        enclosing_node = parent_map.get(func)
        if isinstance(enclosing_node, ast.Module):
            enclosing = module
        elif isinstance(enclosing_node, ast.FunctionDef):
            enclosing = ScopeInfo.of(enclosing_node, names, parent_map)
        else:
            continue
        info = ScopeInfo.of(func, names, parent_map)
        if not _eligible(func, info, enclosing, module):
            continue
        _memoize(func, enclosing_node, tree, env)
        return True
    return False


def _eligible(
    func: ast.FunctionDef, info: ScopeInfo, enclosing: ScopeInfo, module: ScopeInfo
) -> bool:
    args = func.args
    if func.decorator_list or args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
        return False
    if not args.args or len(enclosing.bindings.get(func.name, [])) != 1:
        return False
    if func.name in info.bindings or func.name in info.params:
        return False
    if info.declared or info.nested_refs or _has_nested(func):
        return False
    self_calls = [
        n
        for n in walk_scope(func)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == func.name
    ]
    in_loop = any(info.inside(c, (ast.For, ast.While, ast.comprehension)) for c in self_calls)
    if len(self_calls) < 2 and not (self_calls and in_loop):
        return False
    for node in walk_scope(func):
        if isinstance(node, ast.Yield | ast.YieldFrom | ast.Await | ast.Global | ast.Nonlocal):
            return False
        if isinstance(node, ast.Attribute | ast.Subscript) and not isinstance(node.ctx, ast.Load):
            return False
        if isinstance(node, ast.Delete):
            return False
        if isinstance(node, ast.Call) and not _pure_call(node, func, info):
            return False
        if (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load)
            and not _stable_name(node.id, func, info, enclosing, module)
        ):
            return False
    for param in info.params:
        for use in info.loads.get(param, []):
            if not _scalar_use(use, func, info):
                return False
    for node in walk_scope(func):
        if isinstance(node, ast.Return) and not _immutable_result(node.value, info):
            return False
    return True


def _has_nested(func: ast.FunctionDef) -> bool:
    return any(
        isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef)
        for n in ast.walk(func)
        if n is not func
    )


def _pure_call(node: ast.Call, func: ast.FunctionDef, info: ScopeInfo) -> bool:
    target = node.func
    if isinstance(target, ast.Name):
        return target.id == func.name or (target.id in PURE_BUILTINS and info.is_builtin(target.id))
    if isinstance(target, ast.Attribute):
        return target.attr in PURE_METHODS
    return False


def _stable_name(
    name: str, func: ast.FunctionDef, info: ScopeInfo, enclosing: ScopeInfo, module: ScopeInfo
) -> bool:
    """A name whose value cannot change between two calls of ``func``."""
    if name in info.params or name in info.bindings or name == func.name:
        return True
    if name in PURE_BUILTINS and info.is_builtin(name):
        return True
    if name in ("True", "False", "None"):
        return True
    if name in enclosing.params and enclosing is not module:
        return name not in enclosing.bindings and not enclosing.escapes(
            name, allow_methods=frozenset()
        )
    scope = enclosing if name in enclosing.bindings else module
    if name not in scope.bindings or len(scope.bindings[name]) != 1:
        return False
    if name in scope.declared or name in scope.params:
        return False
    assign = scope.single_assignment(name)
    if assign is None:
        return False
    if scope is module:
        declared = any(
            isinstance(n, ast.Global | ast.Nonlocal) and name in n.names
            for n in ast.walk(module.node)
        )
        kind = TypeInference(module).of(assign.value)
        return not declared and kind in ("int", "str", "float", "bool", "bytes", "tuple")
    bound_at = scope.ancestor_in_body(assign)
    defined_at = scope.ancestor_in_body(func)
    if bound_at is None or defined_at is None or bound_at >= defined_at:
        return False
    others = [n for n in nested_scopes(scope.node) if n is not func]
    if any(name in names_in(n) for n in others):
        return False
    return not scope.escapes(name, allow_methods=frozenset())


def _scalar_use(use: ast.Name, func: ast.FunctionDef, info: ScopeInfo) -> bool:
    parent = info.parent(use)
    if isinstance(parent, SCALAR_PARENTS):
        return True
    if isinstance(parent, ast.Subscript) and parent.slice is use:
        return True
    if isinstance(parent, ast.Call) and use in parent.args:
        target = parent.func
        return isinstance(target, ast.Name) and target.id in (
            func.name,
            "range",
            "min",
            "max",
            "abs",
        )
    return isinstance(parent, ast.Return | ast.keyword | ast.Assign)


def _immutable_result(
    value: ast.AST | None, info: ScopeInfo, seen: frozenset[str] = frozenset()
) -> bool:
    """No mutable container can come out of ``value`` (checked syntactically, following
    local names through their bindings)."""
    if value is None:
        return True
    for node in ast.walk(value):
        if isinstance(node, MUTABLE_DISPLAYS):
            return False
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("list", "set", "sorted", "dict")
        ):
            return False
    if not isinstance(value, ast.Name) or value.id in info.params or value.id in seen:
        return True
    for ref in info.bindings.get(value.id, []):
        stmt = info.statement_of(ref)
        if isinstance(stmt, ast.Assign | ast.AugAssign | ast.AnnAssign):
            if not _immutable_result(stmt.value, info, seen | {value.id}):
                return False
        elif isinstance(stmt, ast.For):
            if not is_builtin_call(stmt.iter, info, "range"):
                return False
        else:
            return False
    return True


MEMO_PUT = """
def {name}(memo, key, value):
    if type(value) in (int, float, complex, str, bytes, bool, type(None)):
        memo[key] = value
    return value
"""


def _memoize(func: ast.FunctionDef, holder: ast.AST | None, tree: ast.Module, env: RuleEnv) -> None:
    memo = _fresh(f"_{func.name}_memo", env)
    key = _fresh("_memo_key", env)
    put = _memo_helper(tree, env)
    params = [a.arg for a in func.args.args]
    parts: list[ast.expr] = [load(p) for p in params]
    parts += [ast.Call(load("type"), [load(p)], []) for p in params]
    prologue: list[ast.stmt] = [
        ast.Assign([store(key)], ast.Tuple(parts, ast.Load())),
        ast.If(
            ast.Compare(load(key), [ast.In()], [load(memo)]),
            [ast.Return(ast.Subscript(load(memo), load(key), ast.Load()))],
            [],
        ),
    ]
    for node in walk_scope(func):
        if isinstance(node, ast.Return):
            value = node.value if node.value is not None else ast.Constant(None)
            node.value = ast.Call(load(put), [load(memo), load(key), value], [])
    body = list(func.body)
    doc = (
        [body.pop(0)]
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
        else []
    )
    func.body = [*doc, *prologue, *body]
    block = getattr(holder, "body", None)
    assert isinstance(block, list)
    index = next(i for i, s in enumerate(block) if s is func)
    block.insert(index, ast.Assign([store(memo)], ast.Dict([], [])))


def _memo_helper(tree: ast.Module, env: RuleEnv) -> str:
    """The module's ``_memo_put`` helper (added once): caches immutable scalar results only,
    so a caller can never mutate a cached value."""
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name.startswith("_memo_put"):
            return stmt.name
    name = _fresh("_memo_put", env)
    index = 0
    for i, stmt in enumerate(tree.body):
        is_doc = i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
        if is_doc or isinstance(stmt, ast.Import | ast.ImportFrom):
            index = i + 1
        else:
            break
    tree.body[index:index] = ast.parse(MEMO_PUT.format(name=name)).body
    return name


def _fresh(base: str, env: RuleEnv) -> str:
    name, i = base, 2
    while name in env.taken:
        name, i = f"{base}_{i}", i + 1
    env.taken.add(name)
    return name
