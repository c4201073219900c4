"""Generic JSONL: ``slow_code``, ``fast_code`` and either ``entry_point`` (a
``function`` problem; ``tests`` is a list of ``{"args": [...], "kwargs": {...}}``,
keyword arguments being placed by the slow function's signature; the slow code is the
oracle, so an ``output`` given for a function test is not used) or stdin ``tests`` (a
list of ``{"input": ..., "output": ...}``; a ``program`` problem). Optional ``id``,
``title``, ``tags``, ``statement``, ``compare`` (a mode name such as ``"float"``, or a
table ``{"mode": "float", "rel_tol": 1e-6, "mutation": false}``; default ``exact`` for
functions and ``stdout_ws`` for programs), ``checker`` (source defining
``check(input, expected, actual) -> bool``, written to ``checker.py``, for problems with
several valid answers) and ``split`` (``train`` or ``eval``).

JSON has no tuples, sets or non-string dict keys; a test value written as
``{"py": "<Python literal>"}`` (an argument, a keyword argument's value, or the whole
``args``) keeps its type. Keys the importer does not read are warned about, record by
record, never silently dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from optbench.datasets.errors import ProblemLoadError
from optbench.datasets.importers.common import (
    NO_STRATEGY_NOTE,
    ImportOptions,
    ProblemFiles,
    given_only_inputs,
    import_records,
    literal,
    record_policy,
    require,
    slug,
    unique_id,
    unknown_keys,
)
from optbench.datasets.importers.registry import Importer, register
from optbench.datasets.loader import SPLITS, entry_point_params

RECORD_KEYS = {
    "id",
    "title",
    "tags",
    "statement",
    "compare",
    "split",
    "slow_code",
    "fast_code",
    "entry_point",
    "tests",
    "checker",
}
FUNCTION_TEST_KEYS = {"args", "kwargs", "output"}
PROGRAM_TEST_KEYS = {"input", "output"}


def import_generic(
    jsonl: Path, compare: dict[str, Any] | None = None
) -> tuple[list[ProblemFiles], list[ProblemLoadError]]:
    def read(record: dict[str, Any], path: Path, number: int, seen: set[str]) -> ProblemFiles:
        problem = _generic_record(record, path, number, seen)
        if compare:  # a record's checker is part of the problem: it stays
            kept = {k: v for k, v in problem.meta["compare"].items() if k == "checker"}
            problem.meta["compare"] = {**kept, **compare}
        return problem

    return import_records(jsonl, read)


def _generic_record(
    record: dict[str, Any], path: Path, number: int, seen: set[str]
) -> ProblemFiles:
    slow = require(record, "slow_code", path, number)
    fast = record.get("fast_code")
    if fast is not None and not isinstance(fast, str):
        raise ProblemLoadError(path, f"line {number}: must be a string", "fast_code")
    tests = record.get("tests", [])
    if not isinstance(tests, list) or not tests:
        raise ProblemLoadError(path, f"line {number}: needs a non-empty list of tests", "tests")
    split = record.get("split")
    if split is not None and split not in SPLITS:
        raise ProblemLoadError(
            path, f"line {number}: must be one of {', '.join(SPLITS)}, got {split!r}", "split"
        )
    warnings = unknown_keys(record, RECORD_KEYS, number)
    pid = unique_id(slug(str(record.get("id") or f"problem-{number}")), seen)
    meta: dict[str, Any] = {
        "id": pid,
        "title": str(record.get("title") or pid),
        "tags": [*map(str, record.get("tags", [])), "imported"],
        "notes": [NO_STRATEGY_NOTE],
    }
    if record.get("statement"):
        meta["statement"] = str(record["statement"])
    entry_point = record.get("entry_point")
    if entry_point:
        if not isinstance(entry_point, str) or not entry_point.isidentifier():
            raise ProblemLoadError(
                path, f"line {number}: not an identifier: {entry_point!r}", "entry_point"
            )
        try:
            params = entry_point_params(slow, entry_point, path)
        except ProblemLoadError as exc:
            raise ProblemLoadError(
                path, f"line {number}: slow_code {exc.message}", exc.field
            ) from None
        arg_lists = []
        for index, test in enumerate(tests):
            where = f"line {number}: tests[{index}]"
            if not isinstance(test, dict):
                raise ProblemLoadError(path, f"{where} must be an object", "tests")
            warnings += [f"{where}: {w}" for w in _test_warnings(test, FUNCTION_TEST_KEYS)]
            args = literal(test.get("args", []), f"{where}.args", path)
            if not isinstance(args, list | tuple):
                raise ProblemLoadError(path, f"{where} needs an 'args' list", "tests")
            args = [literal(a, f"{where}.args", path) for a in args]
            kwargs = test.get("kwargs", {})
            if isinstance(kwargs, dict):
                kwargs = {k: literal(v, f"{where}.kwargs.{k}", path) for k, v in kwargs.items()}
            arg_lists.append(positional(args, kwargs, params, where, path))
        compare, checker = record_policy(record, {"mode": "exact"}, None, f"line {number}", path)
        meta.update(kind="function", entry_point=entry_point, compare=compare)
        return ProblemFiles(
            pid,
            meta,
            slow,
            fast,
            inputs=given_only_inputs(arg_lists),
            split=split,
            examples=arg_lists,
            warnings=warnings,
            checker=checker,
        )
    stdin_tests: list[tuple[str, str | None]] = []
    for index, test in enumerate(tests):
        where = f"line {number}: tests[{index}]"
        if not isinstance(test, dict) or not isinstance(test.get("input"), str):
            raise ProblemLoadError(path, f"{where} needs an 'input' string", "tests")
        warnings += [f"{where}: {w}" for w in _test_warnings(test, PROGRAM_TEST_KEYS)]
        output = test.get("output")
        stdin_tests.append((test["input"], output if isinstance(output, str) else None))
    compare, checker = record_policy(record, {"mode": "stdout_ws"}, None, f"line {number}", path)
    meta.update(kind="program", compare=compare)
    return ProblemFiles(
        pid, meta, slow, fast, tests=stdin_tests, split=split, warnings=warnings, checker=checker
    )


def _test_warnings(test: dict[str, Any], known: set[str]) -> list[str]:
    return [
        f"ignored unknown key {key!r} (known: {', '.join(sorted(known))})"
        for key in sorted(set(test) - known)
    ]


def positional(
    args: list[Any], kwargs: Any, params: tuple[str, ...], where: str, path: Path
) -> tuple[Any, ...]:
    """A test's ``args`` plus its ``kwargs`` placed by the entry point's parameter names
    (optbench calls the entry point with positional arguments only)."""
    args = list(args)
    if not isinstance(kwargs, dict):
        raise ProblemLoadError(path, f"{where}: 'kwargs' must be an object", "tests")
    if not kwargs:
        return tuple(args)
    positional_names = [p for p in params if not p.startswith("*")]
    if any(p.startswith("*") for p in params):
        raise ProblemLoadError(
            path,
            f"{where}: keyword arguments for a function with *args/**kwargs or keyword-only "
            "parameters cannot be turned into positional ones; give them in 'args'",
            "tests",
        )
    slots: list[Any] = [*args, *[_UNSET] * max(0, len(positional_names) - len(args))]
    for name, value in kwargs.items():
        if name not in positional_names:
            raise ProblemLoadError(
                path, f"{where}: no parameter {name!r} (parameters: {', '.join(params)})", "tests"
            )
        index = positional_names.index(name)
        if index < len(args):
            raise ProblemLoadError(
                path, f"{where}: {name!r} is given both in 'args' and in 'kwargs'", "tests"
            )
        slots[index] = value
    while slots and slots[-1] is _UNSET:
        slots.pop()
    missing = [positional_names[i] for i, value in enumerate(slots) if value is _UNSET]
    if missing:
        raise ProblemLoadError(
            path,
            f"{where}: parameter(s) {', '.join(missing)} before a keyword argument are not "
            "given; optbench passes arguments by position, so give them in 'args' or 'kwargs'",
            "tests",
        )
    return tuple(slots)


_UNSET: Any = object()


def _load(path: Path, options: ImportOptions) -> tuple[list[ProblemFiles], list[ProblemLoadError]]:
    if options.tests_dir is not None:
        raise ValueError("--tests is for PIE imports; a generic record carries its own tests")
    return import_generic(path, options.compare)


register(
    Importer(
        "generic",
        "one record a line: slow_code, optional fast_code, id, title, tags, statement, "
        'compare, split, and either entry_point with tests [{"args": [...], "kwargs": '
        '{...}}] (a function; {"py": "(1, 2)"} keeps a Python literal\'s type) or tests '
        '[{"input": "...", "output": "..."}] (a stdin/stdout program).',
        _load,
    )
)
