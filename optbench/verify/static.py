"""Static checks of a candidate: it parses, and a function candidate defines an entry
point the harness can call the way it calls the original.

Only :func:`ast.parse` touches the candidate here: nothing is compiled to bytecode or run.
"""

from __future__ import annotations

import ast
import warnings

from optbench.core.problem import Problem, ProblemKind


def static_problem(problem: Problem, code: str) -> str | None:
    """A description of what is wrong, or ``None`` when the candidate passes."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. invalid escapes: the candidate's business
            tree = ast.parse(code, filename="candidate.py")
    except SyntaxError as exc:
        return f"syntax error at line {exc.lineno}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"cannot be parsed: {type(exc).__name__}: {exc}"
    if problem.kind is not ProblemKind.FUNCTION:
        return None
    entry = problem.entry_point or ""
    original = _find_def(ast.parse(problem.slow_source), entry)
    if original is None or isinstance(original, ast.AsyncFunctionDef):
        return None  # the loader guarantees a def; nothing to compare against otherwise
    found = _find_def(tree, entry)
    if found is None:
        if _binds_name(tree, entry):
            return None  # bound by assignment or import: checked when it is loaded
        return f"defines no top-level function {entry!r}"
    if isinstance(found, ast.AsyncFunctionDef):
        return f"{entry!r} is a coroutine function (async def); the original is a plain function"
    return _signature_problem(original.args, found.args, entry)


def _find_def(tree: ast.Module, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    found = None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            found = node  # the last definition wins, as at run time
    return found


def _binds_name(tree: ast.Module, name: str) -> bool:
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return True
        if isinstance(node, ast.Import | ast.ImportFrom) and any(
            (alias.asname or alias.name.split(".")[0]) == name for alias in node.names
        ):
            return True
        if isinstance(node, ast.ClassDef) and node.name == name:
            return True
    return False


def _positional(args: ast.arguments) -> list[str]:
    return [a.arg for a in (*args.posonlyargs, *args.args)]


def _signature_problem(original: ast.arguments, candidate: ast.arguments, entry: str) -> str | None:
    """The candidate must accept the original's positional parameters, by the same names
    in the same order; extra parameters are fine when they have defaults."""
    want = _positional(original)
    have = _positional(candidate)
    expected = f"{entry}({', '.join(want)})"
    if candidate.vararg is not None and len(have) <= len(want) and have == want[: len(have)]:
        return None
    if have[: len(want)] != want:
        return (
            f"signature {entry}({', '.join(have)}) is not compatible with the original's {expected}"
        )
    extra = len(have) - len(want)
    if extra > len(candidate.defaults):
        return (
            f"signature {entry}({', '.join(have)}) adds parameters without defaults "
            f"to the original's {expected}"
        )
    required_kwonly = [
        a.arg
        for a, default in zip(candidate.kwonlyargs, candidate.kw_defaults, strict=True)
        if default is None
    ]
    if required_kwonly:
        return (
            f"{entry} requires keyword-only parameters {required_kwonly} the original does not have"
        )
    return None
