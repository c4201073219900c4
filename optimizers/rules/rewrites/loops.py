"""Rewrites of loops: string building, index loops, hoisting, and loops that are builtins."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from optimizers.rules.rewrites._analysis import (
    LOOPS,
    SCOPES,
    ScopeInfo,
    TypeInference,
    call,
    fresh_name,
    is_builtin_call,
    load,
    outermost_loops,
    statement_lists,
    store,
)
from optimizers.rules.rewrites._base import RuleEnv, scope_infos


def walk_within(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and everything below it, nested functions, lambdas and classes excluded."""
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        todo.extend(c for c in ast.iter_child_nodes(current) if not isinstance(c, SCOPES))


def uses_of(node: ast.AST, name: str) -> list[ast.Name]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Name) and n.id == name]


def bound_before(info: ScopeInfo, name: str, loop: ast.stmt) -> bool:
    """Every binding of ``name`` precedes ``loop``, and one is a top-level statement of the
    scope (so the name is certainly bound when the loop starts)."""
    at = info.ancestor_in_body(loop)
    if at is None:
        return False
    stmts = info.binding_stmts(name)
    if not stmts:
        return False
    indices = [info.ancestor_in_body(s) for s in stmts]
    if any(i is None or i >= at for i in indices):
        return False
    body = getattr(info.node, "body", [])
    return any(any(s is b for b in body[:at]) for s in stmts)


def block_of(info: ScopeInfo, stmt: ast.stmt) -> tuple[list[ast.stmt], int] | None:
    for block in statement_lists(info.node):
        for i, s in enumerate(block):
            if s is stmt:
                return block, i
    return None


def str_concat_join(tree: ast.Module, env: RuleEnv) -> bool:
    """``s = ""`` then ``s += <str>`` in the next loop → a list of parts and one ``"".join``."""
    for info in scope_infos(tree, env):
        types = TypeInference(info)
        for block in statement_lists(info.node):
            for i in range(len(block) - 1):
                init, loop = block[i], block[i + 1]
                if not (
                    isinstance(init, ast.Assign)
                    and len(init.targets) == 1
                    and isinstance(init.targets[0], ast.Name)
                    and isinstance(init.value, ast.Constant)
                    and init.value.value == ""
                    and isinstance(loop, LOOPS)
                    and not loop.orelse
                ):
                    continue
                name = init.targets[0].id
                if name in info.declared or name in info.nested_refs:
                    continue
                if info.inside(loop, (ast.Try, ast.TryStar, ast.With)):
                    continue
                augs: list[ast.AugAssign] = []
                ok = True
                for use in uses_of(loop, name):
                    parent = info.parent(use)
                    if (
                        isinstance(parent, ast.AugAssign)
                        and parent.target is use
                        and isinstance(parent.op, ast.Add)
                        and not uses_of(parent.value, name)
                        and types.of(parent.value) == "str"
                    ):
                        augs.append(parent)
                    else:
                        ok = False
                        break
                if not ok or not augs:
                    continue
                parts = fresh_name(f"{name}_parts", env.taken)
                block[i] = ast.Assign([store(parts)], ast.List([], ast.Load()))
                for aug in augs:
                    holder = block_of(info, aug)
                    assert holder is not None
                    where, j = holder
                    append = ast.Attribute(load(parts), "append", ast.Load())
                    where[j] = ast.Expr(call(append, aug.value))
                joined = call(ast.Attribute(ast.Constant(""), "join", ast.Load()), load(parts))
                block.insert(i + 2, ast.Assign([store(name)], joined))
                return True
    return False


def range_len_iteration(tree: ast.Module, env: RuleEnv) -> bool:
    """``for i in range(len(x))`` using ``x[i]`` → ``for item in x`` (or ``enumerate(x)``)."""
    for info in scope_infos(tree, env):
        types = TypeInference(info)
        for loop in (n for n in walk_within(info.node) if isinstance(n, ast.For)):
            it = loop.iter
            if not (
                isinstance(loop.target, ast.Name)
                and is_builtin_call(it, info, "range")
                and len(it.args) == 1
                and not it.keywords
                and is_builtin_call(it.args[0], info, "len")
                and len(it.args[0].args) == 1
                and isinstance(it.args[0].args[0], ast.Name)
            ):
                continue
            index, seq = loop.target.id, it.args[0].args[0].id
            if index == seq or types.name(seq) not in ("list", "tuple", "str"):
                continue
            if not info.is_plain_local(seq) or info.escapes(seq):
                continue
            if index in info.declared or index in info.nested_refs:
                continue
            inner = [*loop.body, *loop.orelse]
            reads: list[ast.Subscript] = []
            other_index_use = False
            ok = True
            for stmt in inner:
                for node in ast.walk(stmt):
                    if not isinstance(node, ast.Name):
                        continue
                    parent = info.parent(node)
                    if node.id == seq:
                        if (
                            isinstance(parent, ast.Subscript)
                            and isinstance(parent.ctx, ast.Load)
                            and isinstance(parent.slice, ast.Name)
                            and parent.slice.id == index
                        ):
                            reads.append(parent)
                        else:
                            ok = False
                    elif node.id == index:
                        if not isinstance(node.ctx, ast.Load):
                            ok = False
                        elif not (
                            isinstance(parent, ast.Subscript) and parent.slice is node
                        ) or not (isinstance(parent.value, ast.Name) and parent.value.id == seq):
                            other_index_use = True
            if not ok or not reads:
                continue
            outside = [
                n
                for n in (*info.loads.get(index, []), *info.bindings.get(index, []))
                if n is not loop.target and not any(n in set(ast.walk(s)) for s in inner)
            ]
            item = fresh_name(f"{seq}_item", env.taken)
            for read in reads:
                _replace(info, read, load(item))
            if other_index_use or outside:
                loop.target = ast.Tuple([store(index), store(item)], ast.Store())
                loop.iter = call("enumerate", load(seq))
            else:
                loop.target = store(item)
                loop.iter = load(seq)
            return True
    return False


def _replace(info: ScopeInfo, old: ast.AST, new: ast.AST) -> None:
    parent = info.parent(old)
    assert parent is not None
    for field, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, field, new)
            return
        if isinstance(value, list):
            for k, item in enumerate(value):
                if item is old:
                    value[k] = new
                    return
    raise ValueError("node not found in its parent")


def hoist_len(tree: ast.Module, env: RuleEnv) -> bool:
    """``len(x)`` evaluated on every iteration of a loop that never changes ``x`` → computed
    once before the loop."""
    for info in scope_infos(tree, env):
        types = TypeInference(info)
        for loop in outermost_loops(info):
            skip = loop.iter if isinstance(loop, ast.For) else None
            calls: dict[str, list[ast.Call]] = {}
            for node in walk_within(loop):
                if (
                    is_builtin_call(node, info, "len")
                    and len(node.args) == 1
                    and not node.keywords
                    and isinstance(node.args[0], ast.Name)
                    and not (skip is not None and node in set(ast.walk(skip)))
                ):
                    calls.setdefault(node.args[0].id, []).append(node)
            for name, sites in calls.items():
                if types.name(name) not in ("list", "str", "tuple", "dict", "set"):
                    continue
                if not info.is_plain_local(name) or info.escapes(name):
                    continue
                if not bound_before(info, name, loop) or not _read_only_in(info, loop, name):
                    continue
                holder = block_of(info, loop)
                if holder is None:
                    continue
                block, i = holder
                hoisted = fresh_name(f"{name}_len", env.taken)
                for site in sites:
                    _replace(info, site, load(hoisted))
                block.insert(i, ast.Assign([store(hoisted)], call("len", load(name))))
                return True
    return False


def _read_only_in(info: ScopeInfo, loop: ast.AST, name: str) -> bool:
    """``name`` is only read inside ``loop``: ``len(name)``, ``name[...]``, ``in name``,
    iteration; never rebound, never a method receiver, never passed on."""
    for use in uses_of(loop, name):
        if not isinstance(use.ctx, ast.Load):
            return False
        parent = info.parent(use)
        if isinstance(parent, ast.Call) and is_builtin_call(parent, info, "len"):
            continue
        if isinstance(parent, ast.Subscript) and parent.value is use:
            if isinstance(parent.ctx, ast.Load):
                continue
            return False
        if isinstance(parent, ast.Compare) and use in parent.comparators:
            op = parent.ops[parent.comparators.index(use)]
            if isinstance(op, ast.In | ast.NotIn):
                continue
        if isinstance(parent, ast.For | ast.comprehension) and parent.iter is use:
            continue
        return False
    return True


HOISTABLE = {"list": ("append",), "set": ("add",)}


def hoist_method(tree: ast.Module, env: RuleEnv) -> bool:
    """``out.append(v)`` (``s.add(v)``) in a loop that never rebinds ``out`` → the bound method
    looked up once before the loop."""
    for info in scope_infos(tree, env):
        types = TypeInference(info)
        for loop in outermost_loops(info):
            sites: dict[tuple[str, str], list[ast.Attribute]] = {}
            for node in walk_within(loop):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                ):
                    sites.setdefault((node.func.value.id, node.func.attr), []).append(node.func)
            for (name, method), attrs in sites.items():
                kind = types.name(name)
                if kind not in HOISTABLE or method not in HOISTABLE[kind]:
                    continue
                if name in info.declared or name in info.nested_refs:
                    continue
                if any(not isinstance(u.ctx, ast.Load) for u in uses_of(loop, name)):
                    continue
                if not bound_before(info, name, loop):
                    continue
                holder = block_of(info, loop)
                if holder is None:
                    continue
                block, i = holder
                hoisted = fresh_name(f"{name}_{method}", env.taken)
                for attr in attrs:
                    _replace(info, attr, load(hoisted))
                lookup = ast.Attribute(load(name), method, ast.Load())
                block.insert(i, ast.Assign([store(hoisted)], lookup))
                return True
    return False


def _target_names(target: ast.AST) -> list[str] | None:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        names: list[str] = []
        for element in target.elts:
            inner = _target_names(element)
            if inner is None:
                return None
            names += inner
        return names
    return None


def _only_in(info: ScopeInfo, names: list[str], node: ast.AST) -> bool:
    """The names are plain and occur nowhere in the scope outside ``node``."""
    inside = set(ast.walk(node))
    for name in names:
        if name in info.declared or name in info.nested_refs:
            return False
        refs = [*info.loads.get(name, []), *info.bindings.get(name, [])]
        if any(r not in inside for r in refs):
            return False
    return True


MINMAX_OPS: dict[type, str] = {ast.Gt: "max", ast.Lt: "min"}


def builtin_minmax(tree: ast.Module, env: RuleEnv) -> bool:
    """``for v in xs: if v > best: best = v`` (or ``best = max(best, v)``) →
    ``best = max((best, *xs))``; likewise ``min`` with ``<``. Same comparisons, same order."""
    for info in scope_infos(tree, env):
        for block in statement_lists(info.node):
            for i, loop in enumerate(block):
                if not (
                    isinstance(loop, ast.For)
                    and isinstance(loop.target, ast.Name)
                    and not loop.orelse
                    and len(loop.body) == 1
                ):
                    continue
                var = loop.target.id
                found = _minmax_body(loop.body[0], var, info)
                if found is None:
                    continue
                best, func = found
                if best == var or best in info.declared or best in info.nested_refs:
                    continue
                if uses_of(loop.iter, best) or not _only_in(info, [var], loop):
                    continue
                if not any(best in _bound_names(s) for s in block[:i]):
                    continue
                items = ast.Tuple([load(best), ast.Starred(loop.iter, ast.Load())], ast.Load())
                block[i] = ast.Assign([store(best)], call(func, items))
                return True
    return False


def _bound_names(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, ast.Assign):
        return {t.id for t in stmt.targets if isinstance(t, ast.Name)}
    return set()


def _minmax_body(stmt: ast.stmt, var: str, info: ScopeInfo) -> tuple[str, str] | None:
    if (
        isinstance(stmt, ast.If)
        and not stmt.orelse
        and len(stmt.body) == 1
        and isinstance(stmt.test, ast.Compare)
        and len(stmt.test.ops) == 1
        and type(stmt.test.ops[0]) in MINMAX_OPS
        and isinstance(stmt.test.left, ast.Name)
        and stmt.test.left.id == var
        and isinstance(stmt.test.comparators[0], ast.Name)
    ):
        best = stmt.test.comparators[0].id
        assign = stmt.body[0]
        if (
            isinstance(assign, ast.Assign)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0], ast.Name)
            and assign.targets[0].id == best
            and isinstance(assign.value, ast.Name)
            and assign.value.id == var
        ):
            return best, MINMAX_OPS[type(stmt.test.ops[0])]
    if (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and is_builtin_call(stmt.value, info, "max", "min")
        and not stmt.value.keywords
        and len(stmt.value.args) == 2
        and all(isinstance(a, ast.Name) for a in stmt.value.args)
    ):
        best = stmt.targets[0].id
        first, second = stmt.value.args
        assert isinstance(first, ast.Name) and isinstance(second, ast.Name)
        if first.id == best and second.id == var:
            assert isinstance(stmt.value.func, ast.Name)
            return best, stmt.value.func.id
    return None


def _pure_test(test: ast.AST) -> bool:
    return not any(
        isinstance(n, ast.NamedExpr | ast.Yield | ast.YieldFrom | ast.Await | ast.Lambda)
        for n in ast.walk(test)
    )


def _constant(node: ast.AST | None, value: bool) -> bool:
    return isinstance(node, ast.Constant) and node.value is value


def builtin_any_all(tree: ast.Module, env: RuleEnv) -> bool:
    """Search loops → ``any``/``all`` over a generator: ``for v in xs: if c: return True`` +
    ``return False`` → ``return any(c for v in xs)``; ``if not c: return False`` + ``return
    True`` → ``all``; ``found = False`` + ``for ...: if c: found = True; break`` →
    ``found = any(...)``. Conditions are evaluated in the same order and stop at the same place."""
    for info in scope_infos(tree, env):
        in_function = isinstance(info.node, ast.FunctionDef)
        for block in statement_lists(info.node):
            for i, loop in enumerate(block):
                if not (
                    isinstance(loop, ast.For)
                    and not loop.orelse
                    and len(loop.body) == 1
                    and isinstance(loop.body[0], ast.If)
                    and not loop.body[0].orelse
                ):
                    continue
                branch = loop.body[0]
                names = _target_names(loop.target)
                if names is None or not _pure_test(branch.test):
                    continue
                gen = ast.GeneratorExp(
                    branch.test,
                    [ast.comprehension(loop.target, loop.iter, [], 0)],
                )
                after = block[i + 1] if i + 1 < len(block) else None
                ret = branch.body[0] if len(branch.body) == 1 else None
                if in_function and isinstance(ret, ast.Return) and isinstance(after, ast.Return):
                    if _constant(ret.value, True) and _constant(after.value, False):
                        block[i : i + 2] = [ast.Return(call("any", gen))]
                        return True
                    if _constant(ret.value, False) and _constant(after.value, True):
                        test = branch.test
                        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
                            gen.elt = test.operand
                            block[i : i + 2] = [ast.Return(call("all", gen))]
                        else:
                            negated = ast.UnaryOp(ast.Not(), call("any", gen))
                            block[i : i + 2] = [ast.Return(negated)]
                        return True
                    continue
                flag = _flag_pattern(block, i, branch)
                if flag is None or not _only_in(info, names, loop):
                    continue
                if flag in info.declared or flag in info.nested_refs:
                    continue
                block[i - 1 : i + 1] = [ast.Assign([store(flag)], call("any", gen))]
                return True
    return False


def _flag_pattern(block: list[ast.stmt], i: int, branch: ast.If) -> str | None:
    if i == 0 or len(branch.body) != 2 or not isinstance(branch.body[1], ast.Break):
        return None
    init, setter = block[i - 1], branch.body[0]
    if not (
        isinstance(init, ast.Assign)
        and len(init.targets) == 1
        and isinstance(init.targets[0], ast.Name)
        and _constant(init.value, False)
        and isinstance(setter, ast.Assign)
        and len(setter.targets) == 1
        and isinstance(setter.targets[0], ast.Name)
        and setter.targets[0].id == init.targets[0].id
        and _constant(setter.value, True)
    ):
        return None
    flag = init.targets[0].id
    if uses_of(branch.test, flag):
        return None
    return flag
