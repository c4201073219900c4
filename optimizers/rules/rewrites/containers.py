"""Rewrites of container use: sets for membership, deques for queues, in-place appends,
copies that are never needed, and ``sorted`` used for one element."""

from __future__ import annotations

import ast

from optimizers.rules.rewrites._analysis import (
    SCALARS,
    ScopeInfo,
    TypeInference,
    call,
    ensure_import,
    is_builtin_call,
    load,
    walk_scope,
)
from optimizers.rules.rewrites._base import RuleEnv, scope_infos

HASHABLE_LITERALS = (int, str, bytes)


def _constant_elements(node: ast.AST) -> bool:
    """A list/tuple display of at least two int, str or bytes constants (no bools)."""
    if not isinstance(node, ast.List | ast.Tuple) or len(node.elts) < 2:
        return False
    return all(
        isinstance(e, ast.Constant)
        and isinstance(e.value, HASHABLE_LITERALS)
        and not isinstance(e.value, bool)
        for e in node.elts
    )


def membership_set(tree: ast.Module, env: RuleEnv) -> bool:
    """``x in [c1, c2, ...]`` (a display, or a local list only ever used for ``in`` tests) →
    a set, when ``x`` is certainly a builtin scalar (so hashing agrees with ``==``)."""
    for info in scope_infos(tree, env):
        types = TypeInference(info)
        for node in walk_scope(info.node):
            if not isinstance(node, ast.Compare):
                continue
            for k, (op, right) in enumerate(zip(node.ops, node.comparators, strict=True)):
                if not isinstance(op, ast.In | ast.NotIn):
                    continue
                left = node.left if k == 0 else node.comparators[k - 1]
                if types.of(left) not in SCALARS:
                    continue
                if _constant_elements(right) and isinstance(right, ast.List):
                    node.comparators[k] = ast.Set(list(right.elts))
                    return True
                if isinstance(right, ast.Name) and _list_only_tested(info, types, right.id):
                    assign = info.single_assignment(right.id)
                    assert assign is not None and isinstance(assign.value, ast.List)
                    assign.value = ast.Set(list(assign.value.elts))
                    return True
    return False


def _list_only_tested(info: ScopeInfo, types: TypeInference, name: str) -> bool:
    assign = info.single_assignment(name)
    if assign is None or not isinstance(assign.value, ast.List):
        return False
    if not _constant_elements(assign.value) or not info.is_plain_local(name):
        return False
    for use in info.loads.get(name, []):
        parent = info.parent(use)
        if not (isinstance(parent, ast.Compare) and use in parent.comparators):
            return False
        k = parent.comparators.index(use)
        left = parent.left if k == 0 else parent.comparators[k - 1]
        if not isinstance(parent.ops[k], ast.In | ast.NotIn) or types.of(left) not in SCALARS:
            return False
    return True


QUEUE_METHODS = frozenset({"append", "pop", "extend"})


def deque_popleft(tree: ast.Module, env: RuleEnv) -> bool:
    """A local list used as a FIFO queue (``q.pop(0)``) → ``collections.deque`` with
    ``popleft()``. Only when every use of ``q`` is one a deque supports identically."""
    for info in scope_infos(tree, env):
        for name in list(info.bindings):
            assign = info.single_assignment(name)
            if assign is None or not isinstance(assign.value, ast.List):
                continue
            if not info.is_plain_local(name):
                continue
            pops = _queue_uses(info, name)
            if not pops:
                continue
            if not ensure_import(tree, "collections", env.taken):
                return False
            deque = ast.Attribute(load("collections"), "deque", ast.Load())
            elements = assign.value
            assign.value = call(deque, elements) if elements.elts else call(deque)
            for pop in pops:
                assert isinstance(pop.func, ast.Attribute)
                pop.func.attr = "popleft"
                pop.args = []
            return True
    return False


def _queue_uses(info: ScopeInfo, name: str) -> list[ast.Call] | None:
    """The ``name.pop(0)`` calls, or None when some use of ``name`` a deque would change."""
    pops: list[ast.Call] = []
    for use in info.loads.get(name, []):
        parent = info.parent(use)
        if isinstance(parent, ast.Attribute) and parent.value is use:
            method_call = info.parent(parent)
            if not (isinstance(method_call, ast.Call) and method_call.func is parent):
                return None
            if parent.attr not in QUEUE_METHODS:
                return None
            if parent.attr == "pop":
                if method_call.keywords:
                    return None
                if not method_call.args:
                    continue
                arg = method_call.args[0]
                if len(method_call.args) == 1 and isinstance(arg, ast.Constant) and arg.value == 0:
                    pops.append(method_call)
                    continue
                return None
            continue
        if isinstance(parent, ast.Subscript) and parent.value is use:
            index = parent.slice
            if isinstance(parent.ctx, ast.Load) and _small_constant_index(index):
                continue
            return None
        if is_builtin_call(parent, info, "len"):
            continue
        if _in_test_position(info, use):
            continue
        if (
            isinstance(parent, ast.Compare)
            and use in parent.comparators
            and isinstance(parent.ops[parent.comparators.index(use)], ast.In | ast.NotIn)
        ):
            continue
        return None
    return pops or None


def _small_constant_index(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value in (0, 1)
    return (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and node.operand.value in (1, 2)
    )


def _in_test_position(info: ScopeInfo, node: ast.AST) -> bool:
    """Only the truth value of ``node`` is used (``if q``, ``while q and x``, ``not q``)."""
    parent = info.parent(node)
    if isinstance(parent, ast.If | ast.While | ast.IfExp | ast.Assert) and parent.test is node:
        return True
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, ast.BoolOp):
        return _in_test_position(info, parent)
    return False


def list_concat_append(tree: ast.Module, env: RuleEnv) -> bool:
    """``x = x + [y]`` and ``x += [y]`` on a list no one else holds → ``x.append(y)``."""
    for info in scope_infos(tree, env):
        types = TypeInference(info)
        for node in walk_scope(info.node):
            target, element = _concat_site(node)
            if target is None or element is None:
                continue
            if not info.is_plain_local(target) or types.name(target) != "list":
                continue
            if isinstance(node, ast.Assign) and not _fresh_list_owner(info, target):
                continue
            append = ast.Attribute(load(target), "append", ast.Load())
            replacement = ast.Expr(call(append, element))
            if isinstance(node, ast.stmt) and _swap_statement(info, node, replacement):
                return True
    return False


def _concat_site(node: ast.AST) -> tuple[str | None, ast.expr | None]:
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.BinOp)
        and isinstance(node.value.op, ast.Add)
        and isinstance(node.value.left, ast.Name)
        and node.value.left.id == node.targets[0].id
        and isinstance(node.value.right, ast.List)
        and len(node.value.right.elts) == 1
        and not isinstance(node.value.right.elts[0], ast.Starred)
    ):
        return node.targets[0].id, node.value.right.elts[0]
    if (
        isinstance(node, ast.AugAssign)
        and isinstance(node.target, ast.Name)
        and isinstance(node.op, ast.Add)
        and isinstance(node.value, ast.List)
        and len(node.value.elts) == 1
        and not isinstance(node.value.elts[0], ast.Starred)
    ):
        return node.target.id, node.value.elts[0]
    return None, None


FRESH_LIST_CALLS = ("list", "sorted")


def _fresh_list_owner(info: ScopeInfo, name: str) -> bool:
    """Every binding of ``name`` makes a new list or is a self-concatenation, and no load of
    it hands the list to anyone (so mutating it in place is unobservable)."""
    for stmt in info.binding_stmts(name):
        if isinstance(stmt, ast.AugAssign):
            continue
        if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
            return False
        value = stmt.value
        fresh = isinstance(value, ast.List | ast.ListComp) or is_builtin_call(
            value, info, *FRESH_LIST_CALLS
        )
        self_concat = _concat_site(stmt)[0] == name
        if not (fresh or self_concat):
            return False
    for use in info.loads.get(name, []):
        parent = info.parent(use)
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add):
            continue
        if isinstance(parent, ast.Return) and not _in_loop_or_try(info, parent):
            continue
        if not info.harmless_load(use, frozenset({"append", "extend", "pop", "sort"})):
            return False
    return True


def _in_loop_or_try(info: ScopeInfo, node: ast.AST) -> bool:
    return info.inside(node, (ast.For, ast.While, ast.Try, ast.TryStar))


def _swap_statement(info: ScopeInfo, old: ast.stmt, new: ast.stmt) -> bool:
    parent = info.parent(old)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list):
            for i, stmt in enumerate(block):
                if stmt is old:
                    block[i] = new
                    return True
    if isinstance(parent, ast.Try | ast.TryStar):
        for handler in parent.handlers:
            for i, stmt in enumerate(handler.body):
                if stmt is old:
                    handler.body[i] = new
                    return True
    return False


def drop_list_copy(tree: ast.Module, env: RuleEnv) -> bool:
    """Copies made only to be iterated or re-copied: ``for v in list(range(n))`` →
    ``range(n)``; ``for c in list(s)`` for a str/tuple ``s``; ``list(sorted(x))`` →
    ``sorted(x)``; ``sorted(list(x))`` → ``sorted(x)``."""
    for info in scope_infos(tree, env):
        types = TypeInference(info)
        for node in walk_scope(info.node):
            if isinstance(node, ast.For | ast.comprehension):
                inner = _list_of(node.iter, info)
                if inner is not None and (
                    is_builtin_call(inner, info, "range")
                    or (isinstance(inner, ast.Name) and types.of(inner) in ("str", "tuple"))
                ):
                    node.iter = inner
                    return True
            if isinstance(node, ast.Call) and is_builtin_call(node, info, "list", "sorted"):
                assert isinstance(node.func, ast.Name)
                inner = _list_of(node, info) if node.func.id == "list" else None
                if inner is not None and is_builtin_call(inner, info, "sorted"):
                    _adopt(node, inner)
                    return True
                if node.func.id == "sorted" and node.args:
                    copy = _list_of(node.args[0], info)
                    if copy is not None:
                        node.args[0] = copy
                        return True
    return False


def _list_of(node: ast.AST, info: ScopeInfo) -> ast.expr | None:
    """``x`` when ``node`` is ``list(x)`` (one positional argument, no keywords)."""
    if (
        is_builtin_call(node, info, "list")
        and isinstance(node, ast.Call)
        and len(node.args) == 1
        and not node.keywords
        and not isinstance(node.args[0], ast.Starred)
    ):
        return node.args[0]
    return None


def _adopt(node: ast.Call, inner: ast.expr) -> None:
    assert isinstance(inner, ast.Call)
    node.func, node.args, node.keywords = inner.func, inner.args, inner.keywords


def comprehension_builtin(tree: ast.Module, env: RuleEnv) -> bool:
    """A list comprehension built only to be converted: ``set([...])`` → ``{...}``,
    ``dict([(k, v) ...])`` → ``{k: v ...}``, ``list([...])`` → ``[...]``."""
    for info in scope_infos(tree, env):
        for node in walk_scope(info.node):
            if not (
                isinstance(node, ast.Call)
                and len(node.args) == 1
                and not node.keywords
                and isinstance(node.args[0], ast.ListComp)
                and is_builtin_call(node, info, "set", "dict", "list")
            ):
                continue
            assert isinstance(node.func, ast.Name)
            comp = node.args[0]
            assert isinstance(comp, ast.ListComp)
            new: ast.expr
            if node.func.id == "set":
                new = ast.SetComp(comp.elt, comp.generators)
            elif node.func.id == "list":
                new = comp
            elif isinstance(comp.elt, ast.Tuple) and len(comp.elt.elts) == 2:
                if any(isinstance(e, ast.Starred) for e in comp.elt.elts):
                    continue
                new = ast.DictComp(comp.elt.elts[0], comp.elt.elts[1], comp.generators)
            else:
                continue
            parent = info.parent(node)
            if parent is None or not _replace_child(parent, node, new):
                continue
            return True
    return False


def _replace_child(parent: ast.AST, old: ast.AST, new: ast.AST) -> bool:
    for field, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, field, new)
            return True
        if isinstance(value, list):
            for i, item in enumerate(value):
                if item is old:
                    value[i] = new
                    return True
    return False


def sorted_index_minmax(tree: ast.Module, env: RuleEnv) -> bool:
    """``sorted(x)[0]`` → ``min(x)`` and ``sorted(x)[-1]`` → ``max(reversed(x))`` (the last
    of equal maxima, as sorting is stable), for a local list/tuple/str ``x``; an empty ``x``
    still raises IndexError."""
    for info in scope_infos(tree, env):
        types = TypeInference(info)
        for node in walk_scope(info.node):
            if not (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Load)
                and is_builtin_call(node.value, info, "sorted")
            ):
                continue
            inner = node.value
            assert isinstance(inner, ast.Call)
            if len(inner.args) != 1 or not isinstance(inner.args[0], ast.Name):
                continue
            if inner.keywords and not _pure_key(inner.keywords, info):
                continue
            seq = inner.args[0]
            if types.of(seq) not in ("list", "tuple", "str"):
                continue
            position = _end_index(node.slice)
            if position is None:
                continue
            keywords = list(inner.keywords)
            if position == 0:
                best = call("min", load(seq.id))
            else:
                best = call("max", call("reversed", load(seq.id)))
            best.keywords = keywords
            empty = ast.Subscript(ast.List([], ast.Load()), node.slice, ast.Load())
            parent = info.parent(node)
            if parent is None:
                continue
            if _replace_child(parent, node, ast.IfExp(load(seq.id), best, empty)):
                return True
    return False


def _end_index(node: ast.AST) -> int | None:
    if isinstance(node, ast.Constant) and node.value == 0 and type(node.value) is int:
        return 0
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and node.operand.value == 1
        and type(node.operand.value) is int
    ):
        return -1
    return None


PURE_KEYS = frozenset({"len", "abs", "str", "int", "float", "ord"})


def _pure_key(keywords: list[ast.keyword], info: ScopeInfo) -> bool:
    """Only ``key=`` with a builtin or a lambda that calls nothing but builtins."""
    if len(keywords) != 1 or keywords[0].arg != "key":
        return False
    key = keywords[0].value
    if isinstance(key, ast.Name):
        return key.id in PURE_KEYS and info.is_builtin(key.id)
    if isinstance(key, ast.Lambda):
        for n in ast.walk(key.body):
            if isinstance(n, ast.Call):
                func = n.func
                if not (isinstance(func, ast.Name) and func.id in PURE_KEYS):
                    return False
            if isinstance(n, ast.NamedExpr | ast.Lambda | ast.Yield | ast.Await):
                return False
        return True
    return False
