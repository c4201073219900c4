"""Conservative AST analysis shared by the rewrite rules: scopes, uses of names, simple types.

Everything here answers "is it certainly so?"; an answer of ``None``/``False`` means "not
known", and a rule then leaves the code alone.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeGuard

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
LOOPS = (ast.For, ast.While)
SCALARS = frozenset({"int", "str", "float", "bool", "bytes"})
"""Builtin types whose hash agrees with ``==`` across each other (set lookups are exact)."""

STR_METHODS_STR = frozenset(
    {"strip", "lstrip", "rstrip", "lower", "upper", "replace", "join", "format", "title",
     "capitalize", "casefold", "swapcase", "zfill", "center", "ljust", "rjust", "removeprefix",
     "removesuffix"}
)  # fmt: skip
STR_METHODS_LIST = frozenset({"split", "rsplit", "splitlines"})
BUILTIN_RESULT = {
    "int": "int", "len": "int", "ord": "int", "str": "str", "chr": "str", "repr": "str",
    "input": "str", "float": "float", "bool": "bool", "list": "list", "sorted": "list",
    "tuple": "tuple", "dict": "dict", "set": "set", "bytes": "bytes", "hex": "str",
    "bin": "str", "oct": "str", "format": "str",
}  # fmt: skip
NON_ESCAPING_CALLS = frozenset(
    {"len", "sorted", "sum", "min", "max", "any", "all", "set", "tuple", "list", "frozenset",
     "enumerate", "reversed", "zip", "str", "repr", "print", "dict", "map", "filter"}
)  # fmt: skip
"""Builtins that read an argument without keeping a reference to it after they return.

``enumerate``/``reversed``/``zip``/``map``/``filter`` keep one while their iterator lives;
they count here only as the iterable of a ``for``/comprehension (checked by the caller)."""
LIST_METHODS_READ = frozenset({"index", "count", "copy"})
LIST_METHODS_WRITE = frozenset(
    {"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse"}
)


def parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    out: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            out[child] = node
    return out


def walk_scope(node: ast.AST) -> Iterator[ast.AST]:
    """Nodes of ``node``'s scope: nested functions, lambdas and classes are not entered
    (their names, decorators and defaults are)."""
    todo = list(ast.iter_child_nodes(node)) if isinstance(node, SCOPES) else [node]
    if isinstance(node, SCOPES):
        todo = _scope_body(node)
    while todo:
        current = todo.pop()
        yield current
        if isinstance(current, SCOPES):
            todo.extend(_outside_parts(current))
            continue
        todo.extend(ast.iter_child_nodes(current))


def _scope_body(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Lambda):
        return [node.body]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return list(node.body)
    return list(ast.iter_child_nodes(node))


def _outside_parts(node: ast.AST) -> list[ast.AST]:
    parts: list[ast.AST] = list(getattr(node, "decorator_list", []))
    args = getattr(node, "args", None)
    if isinstance(args, ast.arguments):
        parts += [d for d in (*args.defaults, *args.kw_defaults) if d is not None]
    if isinstance(node, ast.ClassDef):
        parts += [*node.bases, *(k.value for k in node.keywords)]
    return parts


def nested_scopes(node: ast.AST) -> list[ast.AST]:
    return [n for n in walk_scope(node) if isinstance(n, SCOPES) and n is not node]


def names_in(node: ast.AST) -> set[str]:
    """Every identifier in ``node`` and below (nested scopes included)."""
    out: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.arg):
            out.add(n.arg)
        elif isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out.add(n.name)
        elif isinstance(n, ast.alias):
            out.add((n.asname or n.name).split(".")[0])
        elif isinstance(n, ast.Global | ast.Nonlocal):
            out.update(n.names)
        elif isinstance(n, ast.ExceptHandler) and n.name:
            out.add(n.name)
    return out


def is_builtin_call(node: ast.AST | None, info: ScopeInfo, *names: str) -> TypeGuard[ast.Call]:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in names
        and info.is_builtin(node.func.id)
    )


@dataclass
class ScopeInfo:
    """Bindings and uses of the names of one scope (a function or the module)."""

    node: ast.AST
    module_names: set[str]
    """Every name bound anywhere in the module (a builtin of that name may be shadowed)."""
    parent_map: dict[ast.AST, ast.AST]
    bindings: dict[str, list[ast.AST]] = field(default_factory=dict)
    loads: dict[str, list[ast.Name]] = field(default_factory=dict)
    params: set[str] = field(default_factory=set)
    declared: set[str] = field(default_factory=set)
    """Names declared ``global``/``nonlocal`` here."""
    nested_refs: set[str] = field(default_factory=set)
    """Names that a nested function, lambda or class mentions."""
    comprehension_targets: dict[str, list[ast.comprehension]] = field(default_factory=dict)

    @classmethod
    def of(
        cls, node: ast.AST, module_names: set[str], parent_map: dict[ast.AST, ast.AST]
    ) -> ScopeInfo:
        info = cls(node, module_names, parent_map)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            args = node.args
            for a in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                info.params.add(a.arg)
            for extra in (args.vararg, args.kwarg):
                if extra is not None:
                    info.params.add(extra.arg)
        for n in walk_scope(node):
            if isinstance(n, ast.Name):
                if isinstance(n.ctx, ast.Load):
                    info.loads.setdefault(n.id, []).append(n)
                else:
                    info.bindings.setdefault(n.id, []).append(n)
            elif isinstance(n, ast.Global | ast.Nonlocal):
                info.declared.update(n.names)
            elif isinstance(n, SCOPES) and n is not node:
                if not isinstance(n, ast.Lambda):
                    info.bindings.setdefault(n.name, []).append(n)
                info.nested_refs |= names_in(n)
            elif isinstance(n, ast.alias):
                name = (n.asname or n.name).split(".")[0]
                info.bindings.setdefault(name, []).append(n)
            elif isinstance(n, ast.ExceptHandler) and n.name:
                info.bindings.setdefault(n.name, []).append(n)
        for comp in (n for n in walk_scope(node) if isinstance(n, ast.comprehension)):
            for target in ast.walk(comp.target):
                if isinstance(target, ast.Name):
                    refs = info.bindings.get(target.id, [])
                    if target in refs:
                        refs.remove(target)
                    if not refs:
                        info.bindings.pop(target.id, None)
                    info.comprehension_targets.setdefault(target.id, []).append(comp)
        return info

    def is_builtin(self, name: str) -> bool:
        return hasattr(builtins, name) and name not in self.module_names

    def is_plain_local(self, name: str) -> bool:
        """Bound in this scope, not a parameter, not global/nonlocal, not seen by nested scopes."""
        return (
            name in self.bindings
            and name not in self.params
            and name not in self.declared
            and name not in self.nested_refs
        )

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parent_map.get(node)

    def binding_stmts(self, name: str) -> list[ast.stmt]:
        return [self.statement_of(b) for b in self.bindings.get(name, [])]

    def statement_of(self, node: ast.AST) -> ast.stmt:
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.parent(current)
        assert current is not None
        return current

    def single_assignment(self, name: str) -> ast.Assign | None:
        """The one ``name = value`` statement binding ``name`` here, if that is its only binding."""
        refs = self.bindings.get(name, [])
        if len(refs) != 1:
            return None
        stmt = self.statement_of(refs[0])
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0] is refs[0]
        ):
            return stmt
        return None

    def top_level_index(self, stmt: ast.stmt) -> int | None:
        body = getattr(self.node, "body", None)
        if isinstance(body, list):
            for i, s in enumerate(body):
                if s is stmt:
                    return i
        return None

    def ancestor_in_body(self, node: ast.AST) -> int | None:
        """Index, in the scope's own body, of the top-level statement holding ``node``."""
        current: ast.AST | None = node
        body = getattr(self.node, "body", [])
        while current is not None:
            for i, s in enumerate(body):
                if s is current:
                    return i
            current = self.parent(current)
        return None

    def inside(self, node: ast.AST, kinds: tuple[type, ...], stop: ast.AST | None = None) -> bool:
        current = self.parent(node)
        while current is not None and current is not self.node and current is not stop:
            if isinstance(current, kinds):
                return True
            current = self.parent(current)
        return False

    def escapes(self, name: str, allow_methods: frozenset[str] = LIST_METHODS_WRITE) -> bool:
        """True if a load of ``name`` may keep or hand out a reference to its object."""
        return any(not self.harmless_load(n, allow_methods) for n in self.loads.get(name, []))

    def harmless_load(self, node: ast.Name, allow_methods: frozenset[str]) -> bool:
        parent = self.parent(node)
        if isinstance(parent, ast.Subscript) and parent.value is node:
            return isinstance(parent.ctx, ast.Load)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            call = self.parent(parent)
            return (
                isinstance(call, ast.Call)
                and call.func is parent
                and parent.attr in (allow_methods | LIST_METHODS_READ)
            )
        if isinstance(parent, ast.Compare) and node in parent.comparators:
            index = parent.comparators.index(node)
            return isinstance(parent.ops[index], ast.In | ast.NotIn)
        if isinstance(parent, ast.For | ast.comprehension) and parent.iter is node:
            return True
        if isinstance(parent, ast.Call) and node in parent.args:
            func = parent.func
            return (
                isinstance(func, ast.Name)
                and func.id
                in NON_ESCAPING_CALLS - {"enumerate", "reversed", "zip", "map", "filter"}
                and self.is_builtin(func.id)
            )
        return False


class TypeInference:
    """The builtin type an expression certainly has in a scope, or ``None``."""

    def __init__(self, info: ScopeInfo) -> None:
        self.info = info
        self._assumed: dict[str, str] = {}

    def of(self, node: ast.AST | None) -> str | None:
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            value = node.value
            return type(value).__name__ if type(value).__name__ in SCALARS else None
        if isinstance(node, ast.JoinedStr):
            return "str"
        if isinstance(node, ast.List | ast.ListComp):
            return "list"
        if isinstance(node, ast.Tuple):
            return "tuple"
        if isinstance(node, ast.Dict | ast.DictComp):
            return "dict"
        if isinstance(node, ast.Set | ast.SetComp):
            return "set"
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.UnaryOp):
            inner = self.of(node.operand)
            if isinstance(node.op, ast.Not):
                return "bool"
            return "int" if inner in ("int", "bool") else ("float" if inner == "float" else None)
        if isinstance(node, ast.Subscript):
            base = self.of(node.value)
            if base == "str":
                return "str"
            if base in ("list", "tuple") and isinstance(node.slice, ast.Slice):
                return base
            return None
        if isinstance(node, ast.IfExp):
            a, b = self.of(node.body), self.of(node.orelse)
            return a if a == b else None
        if isinstance(node, ast.Name):
            return self.name(node.id)
        return None

    def _call(self, node: ast.Call) -> str | None:
        func = node.func
        if isinstance(func, ast.Name) and self.info.is_builtin(func.id):
            return BUILTIN_RESULT.get(func.id)
        if isinstance(func, ast.Attribute):
            if self._is_stdin_readline(func):
                return "str"
            receiver = self.of(func.value)
            if receiver == "str":
                if func.attr in STR_METHODS_STR:
                    return "str"
                if func.attr in STR_METHODS_LIST:
                    return "list"
        return None

    def _is_stdin_readline(self, func: ast.Attribute) -> bool:
        value = func.value
        return (
            func.attr == "readline"
            and isinstance(value, ast.Attribute)
            and value.attr == "stdin"
            and isinstance(value.value, ast.Name)
            and value.value.id == "sys"
        )

    def _binop(self, node: ast.BinOp) -> str | None:
        left, right = self.of(node.left), self.of(node.right)
        numeric = {"int", "bool"}
        if left in numeric and right in numeric:
            if isinstance(node.op, ast.Div):
                return "float"
            if isinstance(node.op, ast.Pow):
                return None
            return "int"
        if {left, right} <= {"int", "bool", "float"} and "float" in (left, right):
            return "float"
        if isinstance(node.op, ast.Add) and left == right and left in ("str", "list", "tuple"):
            return left
        if isinstance(node.op, ast.Mult) and {left, right} in ({"str", "int"}, {"list", "int"}):
            return "str" if "str" in (left, right) else "list"
        if isinstance(node.op, ast.Mod) and left == "str":
            return "str"
        return None

    def name(self, name: str) -> str | None:
        info = self.info
        if name in self._assumed:
            return self._assumed[name]
        if name in info.comprehension_targets:
            return self._comprehension_variable(name)
        if name in info.params or name in info.declared or name not in info.bindings:
            return None
        refs = info.bindings[name]
        values: list[ast.AST | None] = []
        for ref in refs:
            values.append(self._bound_value(ref, name))
        first = next(
            (self.of(v) for v in values if v is not None and name not in _loaded_names(v)), None
        )
        if first is None:
            return None
        self._assumed[name] = first
        try:
            kinds = {self.of(v) for v in values}
        finally:
            del self._assumed[name]
        return first if kinds == {first} else None

    def _comprehension_variable(self, name: str) -> str | None:
        """A name bound only as a plain comprehension target over ``range`` or a str."""
        info = self.info
        if name in info.bindings or name in info.params or name in info.declared:
            return None
        kinds = set()
        for comp in info.comprehension_targets[name]:
            if not (isinstance(comp.target, ast.Name) and comp.target.id == name):
                return None
            if is_builtin_call(comp.iter, info, "range"):
                kinds.add("int")
            elif name not in _loaded_names(comp.iter) and self.of(comp.iter) == "str":
                kinds.add("str")
            else:
                return None
        return kinds.pop() if len(kinds) == 1 else None

    def _bound_value(self, ref: ast.AST, name: str) -> ast.AST | None:
        parent = self.info.parent(ref)
        if isinstance(parent, ast.Assign) and ref in parent.targets:
            return parent.value
        if isinstance(parent, ast.AnnAssign) and parent.target is ref:
            return parent.value
        if isinstance(parent, ast.AugAssign) and parent.target is ref:
            return ast.BinOp(left=ast.Name(name, ast.Load()), op=parent.op, right=parent.value)
        if isinstance(parent, ast.For) and parent.target is ref:
            iter_type = self.of(parent.iter)
            if is_builtin_call(parent.iter, self.info, "range"):
                return ast.Constant(0)
            if iter_type == "str":
                return ast.Constant("")
        if isinstance(parent, ast.NamedExpr) and parent.target is ref:
            return parent.value
        return None


def _loaded_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def fresh_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base_2``, ``base_3``... whichever is not in ``taken`` (which it joins)."""
    name, i = base, 2
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name)
    return name


def statement_lists(node: ast.AST) -> Iterator[list[ast.stmt]]:
    """Every statement list (bodies, else branches, handlers) of ``node``'s scope."""
    for n in [node, *walk_scope(node)]:
        if isinstance(n, SCOPES) and n is not node:
            continue
        for attr in ("body", "orelse", "finalbody"):
            block = getattr(n, attr, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block
        if isinstance(n, ast.Try | ast.TryStar):
            for handler in n.handlers:
                yield handler.body
        if isinstance(n, ast.Match):
            for case in n.cases:
                yield case.body


def scopes(tree: ast.Module) -> list[ast.AST]:
    """The module and every function in it."""
    return [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]


def outermost_loops(info: ScopeInfo) -> list[ast.For | ast.While]:
    loops = [n for n in walk_scope(info.node) if isinstance(n, LOOPS)]
    return [loop for loop in loops if not info.inside(loop, LOOPS)]


def module_names(tree: ast.Module) -> set[str]:
    """Names bound anywhere in the module (assignments, defs, imports, parameters)."""
    out: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
            out.add(n.id)
        elif isinstance(n, ast.arg):
            out.add(n.arg)
        elif isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out.add(n.name)
        elif isinstance(n, ast.alias):
            out.add((n.asname or n.name).split(".")[0])
        elif isinstance(n, ast.ExceptHandler) and n.name:
            out.add(n.name)
    return out


def ensure_import(tree: ast.Module, module: str, taken: set[str]) -> bool:
    """Make ``import module`` available at the top of the module; False if the name is
    already bound to something else."""
    for stmt in tree.body:
        if isinstance(stmt, ast.Import) and any(
            a.name == module and a.asname is None for a in stmt.names
        ):
            return True
    if module in taken:
        return False
    index = 0
    for i, stmt in enumerate(tree.body):
        is_doc = i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
        is_future = isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"
        if is_doc or is_future:
            index = i + 1
    tree.body.insert(index, ast.Import(names=[ast.alias(name=module)]))
    taken.add(module)
    return True


def call(func: str | ast.expr, *args: ast.expr, **keywords: ast.expr) -> ast.Call:
    target = ast.Name(func, ast.Load()) if isinstance(func, str) else func
    return ast.Call(
        func=target, args=list(args), keywords=[ast.keyword(k, v) for k, v in keywords.items()]
    )


def load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def store(name: str) -> ast.Name:
    return ast.Name(name, ast.Store())
