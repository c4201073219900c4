"""Imports from the field's formats into optbench's problem folders.

* PIE (Shypula et al., 2024): JSONL records with ``problem_id``, ``input`` (slow source)
  and ``target`` (fast source), plus test-case folders ``<tests>/<problem_id>/input.N.txt``
  and ``output.N.txt``. Each pair becomes a ``program`` problem checked on those tests.
* Generic JSONL: ``slow_code``, ``fast_code`` and either ``entry_point`` (a ``function``
  problem; ``tests`` is a list of ``{"args": [...]}``) or stdin ``tests`` (a list of
  ``{"input": ..., "output": ...}``; a ``program`` problem). Optional ``id``, ``title``,
  ``tags``, ``statement``.

Imported problems have no Hypothesis strategy: they are checked on their given tests
only, and say so.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from optbench.datasets.errors import ProblemLoadError
from optbench.datasets.loader import Dataset, load_dataset

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
            errors.append(
                ProblemLoadError(
                    jsonl, f"line {number}: no test cases for {problem_id}", "problem_id"
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
            "notes": [NO_STRATEGY_NOTE],
        }
        problems.append(ProblemFiles(pid, meta, slow, fast, tests=tests))
    return problems, errors


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
        arg_lists = []
        for index, test in enumerate(tests):
            args = test.get("args") if isinstance(test, dict) else None
            if not isinstance(args, list):
                raise ProblemLoadError(
                    path, f"line {number}: tests[{index}] needs an 'args' list", "tests"
                )
            arg_lists.append(tuple(args))
        meta.update(kind="function", entry_point=entry_point, compare={"mode": "exact"})
        inputs = _function_inputs(arg_lists)
        return ProblemFiles(pid, meta, slow, fast, inputs=inputs)
    stdin_tests: list[tuple[str, str | None]] = []
    for index, test in enumerate(tests):
        if not isinstance(test, dict) or not isinstance(test.get("input"), str):
            raise ProblemLoadError(
                path, f"line {number}: tests[{index}] needs an 'input' string", "tests"
            )
        output = test.get("output")
        stdin_tests.append((test["input"], output if isinstance(output, str) else None))
    meta.update(kind="program", compare={"mode": "stdout_ws"})
    return ProblemFiles(pid, meta, slow, fast, tests=stdin_tests)


def _function_inputs(arg_lists: list[tuple[Any, ...]]) -> str:
    largest = max(range(len(arg_lists)), key=lambda i: len(repr(arg_lists[i])))
    return (
        '"""Imported without a strategy: the given tests are the edge examples; the largest is the workload."""\n\n'
        f"EDGE_CASES = {arg_lists!r}\n\n\n"
        "def workload():\n"
        f"    return EDGE_CASES[{largest}]\n"
    )


def write_problems(
    problems: list[ProblemFiles], out: Path, name: str, version: str = "1.0.0"
) -> Path:
    """Write problem folders and a dataset.toml under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "dataset.toml").write_text(
        f'name = "{name}"\nversion = "{version}"\ndescription = "Imported with optbench datasets import."\n',
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
