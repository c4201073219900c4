"""HumanEval (Chen et al., 2021) and HumanEval+ (EvalPlus, Liu et al., 2023).

A record holds ``task_id``, ``prompt`` (imports, signature and docstring),
``canonical_solution`` (the body), ``entry_point`` and ``test``: source defining
``check(candidate)``, a run of asserts on calls of ``candidate``. The problem's
original is ``prompt + canonical_solution``; HumanEval has no faster version. Its
given tests are the calls in ``check`` whose arguments are literals; where an assert
reads ``candidate(...) == literal`` the pair is an input with its expected value (the
expected values are counted in the problem's notes but not stored: the original is the
oracle).
HumanEval+'s ``base_input`` and ``plus_input`` (lists of argument lists) are given
tests too, its ``atol`` a float tolerance, and its ``contract`` (asserts on the
arguments, placed at the top of the body) judges synthesized inputs with the original:
an input the contract refuses is discarded. The problem's original stays without it.

Like EvalPlus, the import judges the return value only: a solution may mutate its
arguments or not (``mutation = false``). A record may carry ``compare`` (a mode or a
table) and ``checker`` (source defining ``check(input, expected, actual) -> bool``,
written to ``checker.py``) for problems with several valid answers."""

from __future__ import annotations

import ast
import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optbench.datasets.errors import ProblemLoadError
from optbench.datasets.importers.common import (
    NO_STRATEGY_NOTE,
    ImportOptions,
    ProblemFiles,
    given_only_inputs,
    import_records,
    record_policy,
    require,
    slug,
    unique_id,
    unknown_keys,
)
from optbench.datasets.importers.registry import Importer, register
from optbench.datasets.loader import entry_point_params

RECORD_KEYS = {
    "task_id",
    "prompt",
    "canonical_solution",
    "entry_point",
    "test",
    "base_input",
    "plus_input",
    "atol",
    "contract",
    "compare",
    "checker",
}


@dataclass
class CheckCalls:
    """What ``check(candidate)`` gives: argument tuples, with the expected value where
    an assert compares the call with a literal, and how many calls could not be read."""

    calls: list[tuple[tuple[Any, ...], Any]]
    with_expected: int
    unreadable: int


_NO_EXPECTED: Any = object()


def check_calls(test_source: str, where: str, path: Path) -> CheckCalls:
    """The literal calls of ``candidate`` in ``check``'s asserts."""
    try:
        tree = ast.parse(test_source)
    except SyntaxError as exc:
        raise ProblemLoadError(
            path, f"{where}: test does not parse (line {exc.lineno}: {exc.msg})", "test"
        ) from None
    check = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "check"), None
    )
    if check is None or not check.args.args:
        raise ProblemLoadError(path, f"{where}: test defines no check(candidate)", "test")
    candidate = check.args.args[0].arg
    calls: list[tuple[tuple[Any, ...], Any]] = []
    seen: set[str] = set()
    with_expected = unreadable = 0
    for node in ast.walk(check):
        if not isinstance(node, ast.Assert):
            continue
        expected_of = _expected_values(node.test, candidate)
        for call in ast.walk(node.test):
            if not (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == candidate
            ):
                continue
            try:
                if call.keywords:
                    raise ValueError("keyword arguments")
                args = tuple(ast.literal_eval(arg) for arg in call.args)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                unreadable += 1
                continue
            key = repr(args)
            if key in seen:
                continue
            seen.add(key)
            expected = expected_of.get(id(call), _NO_EXPECTED)
            with_expected += expected is not _NO_EXPECTED
            calls.append((args, expected))
    return CheckCalls(calls, with_expected, unreadable)


def _expected_values(test: ast.expr, candidate: str) -> dict[int, Any]:
    """``candidate(...) == literal`` (either side, ``is`` for True/False/None, ``not
    candidate(...)`` as False): the call node's id → the literal."""
    found: dict[int, Any] = {}
    if (
        isinstance(test, ast.UnaryOp)
        and isinstance(test.op, ast.Not)
        and _is_call(test.operand, candidate)
    ):
        found[id(test.operand)] = False
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq | ast.Is)
    ):
        left, right = test.left, test.comparators[0]
        for call, other in ((left, right), (right, left)):
            if _is_call(call, candidate):
                with contextlib.suppress(
                    ValueError, TypeError, SyntaxError, MemoryError, RecursionError
                ):
                    found[id(call)] = ast.literal_eval(other)
    return found


def _is_call(node: ast.expr, candidate: str) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == candidate
    )


def original_source(record: dict[str, Any], path: Path, number: int) -> tuple[str, str]:
    """``prompt + canonical_solution`` and the entry point, checked to define it."""
    prompt = require(record, "prompt", path, number)
    solution = require(record, "canonical_solution", path, number)
    entry_point = require(record, "entry_point", path, number)
    if not entry_point.isidentifier():
        raise ProblemLoadError(
            path, f"line {number}: not an identifier: {entry_point!r}", "entry_point"
        )
    source = prompt + solution
    if not source.endswith("\n"):
        source += "\n"
    try:
        entry_point_params(source, entry_point, path)
    except ProblemLoadError as exc:
        raise ProblemLoadError(
            path, f"line {number}: prompt + canonical_solution: {exc.message}", exc.field
        ) from None
    return source, entry_point


def argument_lists(
    record: dict[str, Any], key: str, path: Path, number: int
) -> list[tuple[Any, ...]]:
    """HumanEval+'s ``base_input`` / ``plus_input``: a list of argument lists."""
    raw = record.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(args, list) for args in raw):
        raise ProblemLoadError(path, f"line {number}: must be a list of argument lists", key)
    return [tuple(args) for args in raw]


def import_humaneval(
    jsonl: Path, compare: dict[str, Any] | None = None
) -> tuple[list[ProblemFiles], list[ProblemLoadError]]:
    return import_records(
        jsonl, lambda record, path, number, seen: _record(record, path, number, seen, compare)
    )


def _record(
    record: dict[str, Any],
    path: Path,
    number: int,
    seen: set[str],
    compare: dict[str, Any] | None,
) -> ProblemFiles:
    task_id = require(record, "task_id", path, number)
    source, entry_point = original_source(record, path, number)
    where = f"line {number} ({task_id})"
    found = check_calls(require(record, "test", path, number), where, path)
    base = argument_lists(record, "base_input", path, number)
    plus = argument_lists(record, "plus_input", path, number)
    examples = list({repr(a): a for a in [*(a for a, _ in found.calls), *base, *plus]}.values())
    if not examples:
        raise ProblemLoadError(
            path,
            f"{where}: no test input: check() calls the candidate with no literal arguments "
            f"({found.unreadable} call(s) not literal) and there is no base_input",
            "test",
        )
    # HumanEval(+) judges the return value only (on a copy of the arguments)
    default: dict[str, Any] = {"mode": "exact", "mutation": False}
    atol = record.get("atol")
    if isinstance(atol, int | float) and not isinstance(atol, bool) and atol > 0:
        default = {"mode": "float", "rel_tol": 1e-7, "abs_tol": float(atol), "mutation": False}
    policy, checker = record_policy(record, default, compare, where, path)
    notes = [
        NO_STRATEGY_NOTE,
        f"HumanEval {task_id}: {len(found.calls)} input(s) from check() "
        f"({found.with_expected} with an expected value, {found.unreadable} call(s) not "
        f"literal), {len(base)} base and {len(plus)} plus input(s)",
    ]
    judge = None
    contract = record.get("contract")
    if isinstance(contract, str) and contract.strip():
        judge = (
            str(record["prompt"]) + contract.rstrip("\n") + "\n" + str(record["canonical_solution"])
        )
        try:
            compile(judge, f"{task_id} contract", "exec")
        except SyntaxError:
            judge = None
            notes.append(
                "its contract does not fit the prompt: synthesized inputs judged without it"
            )
    pid = unique_id(slug(task_id), seen)
    meta: dict[str, Any] = {
        "id": pid,
        "title": task_id,
        "kind": "function",
        "entry_point": entry_point,
        "tags": ["humaneval", "imported"],
        "compare": policy,
        "notes": notes,
    }
    return ProblemFiles(
        pid,
        meta,
        source,
        None,
        inputs=given_only_inputs(examples),
        examples=examples,
        checker=checker,
        warnings=unknown_keys(record, RECORD_KEYS, number),
        judge=judge,
    )


def _load(path: Path, options: ImportOptions) -> tuple[list[ProblemFiles], list[ProblemLoadError]]:
    if options.tests_dir is not None:
        raise ValueError("--tests is for PIE imports; a HumanEval record carries its tests")
    return import_humaneval(path, options.compare)


register(
    Importer(
        "humaneval",
        "HumanEval / HumanEval+: task_id, prompt, canonical_solution, entry_point, test "
        "(check(candidate)); optional base_input, plus_input, atol. The original is "
        "prompt + canonical_solution; tests are check()'s literal calls and the given "
        "inputs.",
        _load,
    )
)
