"""Rewrites of a program's input and output (stdin → stdout programs only)."""

from __future__ import annotations

import ast

from optimizers.rules.rewrites._analysis import (
    LOOPS,
    call,
    ensure_import,
    load,
    module_names,
    parents,
    store,
)
from optimizers.rules.rewrites._base import RuleEnv

FAST_INPUT = """
def {name}():
    line = {readline}()
    if not line:
        raise EOFError("EOF when reading a line")
    return line[:-1] if line[-1] == "\\n" else line
"""

BUFFERED_PRINT = """
def {name}(*args, sep=" ", end="\\n"):
    {out}.append(("" if not args else (" " if sep is None else sep).join(map(str, args))) + ("\\n" if end is None else end))
"""


def _insert_after_imports(tree: ast.Module, stmts: list[ast.stmt]) -> None:
    index = 0
    for i, stmt in enumerate(tree.body):
        is_doc = i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
        if is_doc or isinstance(stmt, ast.Import | ast.ImportFrom):
            index = i + 1
        else:
            break
    tree.body[index:index] = stmts


def _fresh(base: str, env: RuleEnv) -> str:
    name, i = base, 2
    while name in env.taken:
        name, i = f"{base}_{i}", i + 1
    env.taken.add(name)
    return name


def stdin_readline(tree: ast.Module, env: RuleEnv) -> bool:
    """``input()`` → a ``sys.stdin.readline`` bound once: the same line without its newline,
    the same EOFError at the end of input, without ``input``'s per-call stdout flush."""
    if "input" in module_names(tree):
        return False
    sites = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Name)
        and n.func.id == "input"
        and not n.args
        and not n.keywords
    ]
    if not sites:
        return False
    if any(
        isinstance(n, ast.Name) and n.id == "input" and not any(n is s.func for s in sites)
        for n in ast.walk(tree)
    ):
        return False
    if not ensure_import(tree, "sys", env.taken):
        return False
    readline = _fresh("_stdin_readline", env)
    name = _fresh("_fast_input", env)
    helper = ast.parse(FAST_INPUT.format(name=name, readline=readline)).body
    bind = ast.Assign(
        [store(readline)],
        ast.Attribute(ast.Attribute(load("sys"), "stdin", ast.Load()), "readline", ast.Load()),
    )
    for site in sites:
        site.func = load(name)
    _insert_after_imports(tree, [bind, *helper])
    return True


def print_buffer(tree: ast.Module, env: RuleEnv) -> bool:
    """``print(...)`` called in loops → pieces collected in a list and written once, in a
    ``finally`` around the whole program so that output before a crash or ``exit()`` is kept.
    Only when nothing else writes to stdout and no ``print`` has ``file=`` or ``flush=``."""
    if any(isinstance(n, ast.Name) and n.id == "_optbench_print" for n in ast.walk(tree)):
        return False
    if "print" in module_names(tree) or _touches_stdout(tree):
        return False
    parent_map = parents(tree)
    sites = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "print":
            holder = parent_map.get(node)
            if not (isinstance(holder, ast.Call) and holder.func is node):
                return False
            if any(k.arg not in ("sep", "end") for k in holder.keywords):
                return False
            sites.append(holder)
    if not sites or not any(_in_loop(s, parent_map) for s in sites):
        return False
    if any(isinstance(s, ast.ImportFrom) and s.module == "__future__" for s in tree.body):
        return False
    if not ensure_import(tree, "sys", env.taken):
        return False
    out = _fresh("_stdout_parts", env)
    name = _fresh("_buffered_print", env)
    for site in sites:
        site.func = load(name)
    helper = ast.parse(BUFFERED_PRINT.format(name=name, out=out)).body
    leading = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            leading.append(stmt)
        else:
            break
    rest = tree.body[len(leading) :]
    write = call(
        ast.Attribute(ast.Attribute(load("sys"), "stdout", ast.Load()), "write", ast.Load()),
        call(ast.Attribute(ast.Constant(""), "join", ast.Load()), load(out)),
    )
    guarded = ast.Try(
        body=rest or [ast.Pass()], handlers=[], orelse=[], finalbody=[ast.Expr(write)]
    )
    tree.body = [
        *leading,
        ast.Assign([store(out)], ast.List([], ast.Load())),
        *helper,
        guarded,
    ]
    return True


def _in_loop(node: ast.AST, parent_map: dict[ast.AST, ast.AST]) -> bool:
    current = parent_map.get(node)
    while current is not None:
        if isinstance(current, (*LOOPS, ast.comprehension)):
            return True
        current = parent_map.get(current)
    return False


def _touches_stdout(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("stdout", "__stdout__"):
            return True
        if isinstance(node, ast.Name) and node.id in ("os", "exec", "eval", "breakpoint", "help"):
            return True
        if isinstance(node, ast.alias) and node.name in ("os", "subprocess", "pprint"):
            return True
    return False
