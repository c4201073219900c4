"""Imports from the field's formats into optbench's problem folders.

* PIE (Shypula et al., 2024): JSONL records with ``problem_id``, ``input`` (slow source)
  and ``target`` (fast source), plus test-case folders ``<tests>/<problem_id>/input.N.txt``
  and ``output.N.txt``. Each pair becomes a ``program`` problem checked on those tests.
* Generic JSONL: ``slow_code``, ``fast_code`` and either ``entry_point`` (a ``function``
  problem; ``tests`` is a list of ``{"args": [...], "kwargs": {...}}``, keyword arguments
  being placed by the slow function's signature; the slow code is the oracle, so an
  ``output`` given for a function test is not used) or stdin ``tests`` (a list of
  ``{"input": ..., "output": ...}``; a ``program`` problem). Optional ``id``, ``title``,
  ``tags``, ``statement`` and ``compare`` (a mode name such as ``"float"``, or a table
  ``{"mode": "float", "rel_tol": 1e-6}``; default ``exact`` for functions and
  ``stdout_ws`` for programs) and ``split`` (``train`` or ``eval``).

Imported problems are ``eval`` unless a record or the import says ``train``
(:func:`write_problems` lists the train ones under ``[splits]`` in ``dataset.toml``).

Imported ``program`` problems get an ``inputs.py`` synthesized from their given tests
(:func:`synthesize_inputs`, :mod:`optbench.datasets.synthesis`): a Hypothesis strategy
and a workload grown until the original takes 50-500 ms. A problem the synthesis cannot
serve, and every imported ``function`` problem, is checked on its given tests only, and
says why in its notes.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from optbench.core.problem import COMPARE_MODES
from optbench.datasets.errors import ProblemLoadError
from optbench.datasets.loader import SPLITS, Dataset, entry_point_params, load_dataset

NO_STRATEGY_NOTE = "imported without a strategy: checked on its given tests only"


@dataclass
class ProblemFiles:
    """The files of one problem folder, before they are written."""

    id: str
    meta: dict[str, Any]
    slow: str
    fast: str | None
    inputs: str | None = None
    tests: list[tuple[str, str | None]] = field(default_factory=list)
    split: str | None = None
    """``train`` or ``eval`` when the record says; None: the import's default."""


def _records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise ProblemLoadError(path, f"line {number}: not JSON: {exc}") from exc
        if not isinstance(record, dict):
            raise ProblemLoadError(path, f"line {number}: not a JSON object")
        records.append((number, record))
    return records


def _require(record: dict[str, Any], key: str, path: Path, number: int) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ProblemLoadError(path, f"line {number}: missing or empty", field=key)
    return value


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "problem"


def import_pie(
    jsonl: Path, tests_dir: Path | None = None
) -> tuple[list[ProblemFiles], list[ProblemLoadError]]:
    """PIE pairs → program problems. Records without test cases are skipped and reported."""
    problems: list[ProblemFiles] = []
    errors: list[ProblemLoadError] = []
    counts: dict[str, int] = defaultdict(int)
    for number, record in _records(jsonl):
        try:
            problem_id = _require(record, "problem_id", jsonl, number)
            slow = _require(record, "input", jsonl, number)
            fast = _require(record, "target", jsonl, number)
        except ProblemLoadError as exc:
            errors.append(exc)
            continue
        tests = _pie_tests(tests_dir / problem_id) if tests_dir else []
        if not tests:
            where = f" (no {tests_dir / problem_id}/input.N.txt)" if tests_dir else ""
            errors.append(
                ProblemLoadError(
                    jsonl, f"line {number}: no test cases for {problem_id}{where}", "problem_id"
                )
            )
            continue
        index = counts[problem_id]
        counts[problem_id] += 1
        pid = f"{_slug(problem_id)}-{index}"
        meta = {
            "id": pid,
            "title": f"PIE {problem_id} pair {index}",
            "kind": "program",
            "tags": ["pie", "imported"],
            "compare": {"mode": "stdout_ws"},
            "notes": [NO_STRATEGY_NOTE, *_pie_provenance(record, jsonl, number)],
        }
        problems.append(ProblemFiles(pid, meta, slow, fast, tests=tests))
    return problems, errors


PIE_PROVENANCE = (
    "user_id",
    "submission_id_v0",
    "submission_id_v1",
    "cpu_time_v0",
    "cpu_time_v1",
    "memory_v0",
    "memory_v1",
    "improvement_frac",
)
"""PIE record fields kept (as a note) so an imported pair can be traced to its source."""


def _pie_provenance(record: dict[str, Any], path: Path, number: int) -> list[str]:
    known = [f"{key}={record[key]}" for key in PIE_PROVENANCE if record.get(key) is not None]
    return [f"PIE {path.name} line {number}: " + ", ".join(known)] if known else []


def _pie_tests(folder: Path) -> list[tuple[str, str | None]]:
    if not folder.is_dir():
        return []
    tests = []
    for input_path in sorted(folder.glob("input.*.txt"), key=lambda p: _index(p.name)):
        output_path = folder / input_path.name.replace("input.", "output.", 1)
        expected = output_path.read_text(encoding="utf-8") if output_path.exists() else None
        tests.append((input_path.read_text(encoding="utf-8"), expected))
    return tests


def _index(name: str) -> int:
    middle = name.split(".")[1]
    return int(middle) if middle.isdigit() else 10**9


def import_generic(jsonl: Path) -> tuple[list[ProblemFiles], list[ProblemLoadError]]:
    problems: list[ProblemFiles] = []
    errors: list[ProblemLoadError] = []
    seen: set[str] = set()
    for number, record in _records(jsonl):
        try:
            problems.append(_generic_record(record, jsonl, number, seen))
        except ProblemLoadError as exc:
            errors.append(exc)
    return problems, errors


def _generic_record(
    record: dict[str, Any], path: Path, number: int, seen: set[str]
) -> ProblemFiles:
    slow = _require(record, "slow_code", path, number)
    fast = record.get("fast_code")
    if fast is not None and not isinstance(fast, str):
        raise ProblemLoadError(path, f"line {number}: must be a string", "fast_code")
    base = _slug(str(record.get("id") or f"problem-{number}"))
    pid, suffix = base, 1
    while pid in seen:
        suffix += 1
        pid = f"{base}-{suffix}"
    seen.add(pid)
    tests = record.get("tests", [])
    if not isinstance(tests, list) or not tests:
        raise ProblemLoadError(path, f"line {number}: needs a non-empty list of tests", "tests")
    split = record.get("split")
    if split is not None and split not in SPLITS:
        raise ProblemLoadError(
            path, f"line {number}: must be one of {', '.join(SPLITS)}, got {split!r}", "split"
        )
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
            if not isinstance(test, dict) or not isinstance(test.get("args", []), list):
                raise ProblemLoadError(
                    path, f"line {number}: tests[{index}] needs an 'args' list", "tests"
                )
            arg_lists.append(_positional(test, params, f"line {number}: tests[{index}]", path))
        compare = _generic_compare(record.get("compare", "exact"), path, number)
        meta.update(kind="function", entry_point=entry_point, compare=compare)
        inputs = _function_inputs(arg_lists)
        return ProblemFiles(pid, meta, slow, fast, inputs=inputs, split=split)
    stdin_tests: list[tuple[str, str | None]] = []
    for index, test in enumerate(tests):
        if not isinstance(test, dict) or not isinstance(test.get("input"), str):
            raise ProblemLoadError(
                path, f"line {number}: tests[{index}] needs an 'input' string", "tests"
            )
        output = test.get("output")
        stdin_tests.append((test["input"], output if isinstance(output, str) else None))
    compare = _generic_compare(record.get("compare", "stdout_ws"), path, number)
    meta.update(kind="program", compare=compare)
    return ProblemFiles(pid, meta, slow, fast, tests=stdin_tests, split=split)


def _generic_compare(raw: Any, path: Path, number: int) -> dict[str, Any]:
    """A record's ``compare``: a mode name or ``{"mode": ..., "rel_tol": ..., "abs_tol": ...}``."""
    table = {"mode": raw} if isinstance(raw, str) else raw
    if not isinstance(table, dict) or table.get("mode") not in COMPARE_MODES:
        raise ProblemLoadError(
            path,
            f"line {number}: must be one of {list(COMPARE_MODES)} or a table with such a "
            f"'mode' (and optional rel_tol, abs_tol), got {raw!r}",
            "compare",
        )
    unknown = set(table) - {"mode", "rel_tol", "abs_tol"}
    if unknown:
        raise ProblemLoadError(
            path, f"line {number}: unknown key(s) {sorted(unknown)} in compare", "compare"
        )
    for key in ("rel_tol", "abs_tol"):
        value = table.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or value < 0
        ):
            raise ProblemLoadError(
                path, f"line {number}: {key} must be a number >= 0, got {value!r}", "compare"
            )
    return dict(table)


def _positional(
    test: dict[str, Any], params: tuple[str, ...], where: str, path: Path
) -> tuple[Any, ...]:
    """A test's ``args`` plus its ``kwargs`` placed by the entry point's parameter names
    (optbench calls the entry point with positional arguments only)."""
    args = list(test.get("args", []))
    kwargs = test.get("kwargs", {})
    if not isinstance(kwargs, dict):
        raise ProblemLoadError(path, f"{where}: 'kwargs' must be an object", "tests")
    if not kwargs:
        return tuple(args)
    positional = [p for p in params if not p.startswith("*")]
    if any(p.startswith("*") for p in params):
        raise ProblemLoadError(
            path,
            f"{where}: keyword arguments for a function with *args/**kwargs or keyword-only "
            "parameters cannot be turned into positional ones; give them in 'args'",
            "tests",
        )
    slots: list[Any] = [*args, *[_UNSET] * max(0, len(positional) - len(args))]
    for name, value in kwargs.items():
        if name not in positional:
            raise ProblemLoadError(
                path, f"{where}: no parameter {name!r} (parameters: {', '.join(params)})", "tests"
            )
        index = positional.index(name)
        if index < len(args):
            raise ProblemLoadError(
                path, f"{where}: {name!r} is given both in 'args' and in 'kwargs'", "tests"
            )
        slots[index] = value
    while slots and slots[-1] is _UNSET:
        slots.pop()
    missing = [positional[i] for i, value in enumerate(slots) if value is _UNSET]
    if missing:
        raise ProblemLoadError(
            path,
            f"{where}: parameter(s) {', '.join(missing)} before a keyword argument are not "
            "given; optbench passes arguments by position, so give them in 'args' or 'kwargs'",
            "tests",
        )
    return tuple(slots)


_UNSET: Any = object()


def _function_inputs(arg_lists: list[tuple[Any, ...]]) -> str:
    largest = max(range(len(arg_lists)), key=lambda i: len(repr(arg_lists[i])))
    return (
        '"""Imported without a strategy: the given tests are the edge examples; the largest is the workload."""\n\n'
        f"EDGE_CASES = {arg_lists!r}\n\n\n"
        "def workload():\n"
        f"    return EDGE_CASES[{largest}]\n"
    )


def synthesize_inputs(
    problems: list[ProblemFiles],
    *,
    workers: int = 2,
    on_done: Callable[[ProblemFiles], None] | None = None,
) -> None:
    """Give every program problem without an ``inputs.py`` a synthesized one (in place):
    its notes then say how it is checked instead of :data:`NO_STRATEGY_NOTE`."""
    from optbench.datasets.synthesis import synthesize

    todo = [p for p in problems if p.inputs is None and p.tests and p.meta.get("kind") == "program"]
    if not todo:
        return
    jobs = [([stdin for stdin, _ in p.tests], p.slow, p.id) for p in todo]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max(1, workers), mp_context=spawn) as pool:
        futures = [pool.submit(synthesize, given, slow, name=name) for given, slow, name in jobs]
        for problem, future in zip(todo, futures, strict=True):
            result = future.result()
            problem.inputs = result.inputs
            notes = [n for n in problem.meta.get("notes", []) if n != NO_STRATEGY_NOTE]
            problem.meta["notes"] = [*result.notes, *notes]
            if on_done is not None:
                on_done(problem)


def write_problems(
    problems: list[ProblemFiles],
    out: Path,
    name: str,
    version: str = "1.0.0",
    split: str = "eval",
) -> Path:
    """Write problem folders and a dataset.toml under ``out``; ``split`` is the split of
    the problems whose record names none."""
    out.mkdir(parents=True, exist_ok=True)
    train = [p.id for p in problems if (p.split or split) == "train"]
    splits = f"\n[splits]\ntrain = {_toml_value(train)}\n" if train else ""
    (out / "dataset.toml").write_text(
        f'name = "{name}"\nversion = "{version}"\ndescription = "Imported with optbench datasets import."\n'
        + splits,
        encoding="utf-8",
    )
    for problem in problems:
        folder = out / problem.id
        folder.mkdir(exist_ok=True)
        (folder / "problem.toml").write_text(_toml(problem.meta), encoding="utf-8")
        (folder / "slow.py").write_text(problem.slow, encoding="utf-8")
        if problem.fast is not None:
            (folder / "fast.py").write_text(problem.fast, encoding="utf-8")
        if problem.inputs is not None:
            (folder / "inputs.py").write_text(problem.inputs, encoding="utf-8")
        if problem.tests:
            tests = folder / "tests"
            tests.mkdir(exist_ok=True)
            for index, (stdin, expected) in enumerate(problem.tests):
                (tests / f"input.{index}.txt").write_text(stdin, encoding="utf-8")
                if expected is not None:
                    (tests / f"output.{index}.txt").write_text(expected, encoding="utf-8")
    return out


def load_imported(problems: list[ProblemFiles], name: str) -> Dataset:
    """An in-memory dataset: written to a temporary folder and loaded like any other."""
    folder = Path(tempfile.mkdtemp(prefix="optbench-import-")) / name
    write_problems(problems, folder, name)
    return load_dataset(folder)


def _toml(meta: dict[str, Any]) -> str:
    lines = []
    tables = {k: v for k, v in meta.items() if isinstance(v, dict)}
    for key, value in meta.items():
        if key in tables:
            continue
        lines.append(f"{key} = {_toml_value(value)}")
    for key, table in tables.items():
        lines.append(f"\n[{key}]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value))
