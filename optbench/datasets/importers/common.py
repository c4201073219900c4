"""What every importer shares: the problem files it produces, reading JSONL records
with per-record errors, compare policies, and writing a dataset folder."""

from __future__ import annotations

import ast
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from optbench.core.problem import CHECKER_FILENAME, COMPARE_MODES
from optbench.datasets.errors import ProblemLoadError
from optbench.datasets.loader import Dataset, load_dataset
from optbench.jsonl import json_objects

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
    examples: list[tuple[Any, ...]] = field(default_factory=list)
    """A function problem's given argument tuples: what its inputs are synthesized from
    (empty: nothing to synthesize from, or the source supplies its own generator)."""
    warnings: list[str] = field(default_factory=list)
    """What the importer ignored or guessed for this record (unknown keys and the like)."""
    checker: str | None = None
    """The problem's ``checker.py`` (the function its compare policy's ``checker``
    names), for sources whose problems have several valid answers."""
    judge: str | None = None
    """The source that judges synthesized inputs when it is not the original itself: the
    original with the source's input contract asserted (HumanEval+), so inputs outside
    the problem's domain are discarded instead of kept."""


@dataclass
class ImportOptions:
    """What ``optbench datasets import`` passes every importer."""

    tests_dir: Path | None = None
    """Per-problem test-case folders (PIE)."""
    compare: dict[str, Any] | None = None
    """A compare policy that overrides the one the importer sets (``--compare``)."""


def records(path: Path) -> list[tuple[int, dict[str, Any] | ProblemLoadError]]:
    """The JSON objects of a JSONL file with their line numbers, in file order; a line
    that is not a JSON object is an error in its place (the other lines still import)."""
    return [
        (
            number,
            ProblemLoadError(path, f"line {number}: {record}")
            if isinstance(record, str)
            else record,
        )
        for number, record in json_objects(path)
    ]


RecordReader = Callable[[dict[str, Any], Path, int, set[str]], "ProblemFiles"]


def import_records(
    jsonl: Path, read: RecordReader
) -> tuple[list[ProblemFiles], list[ProblemLoadError]]:
    """Every record of a JSON-lines file through ``read(record, path, line, seen ids)``: a
    malformed line or record is one error naming its line, and the rest import."""
    problems: list[ProblemFiles] = []
    errors: list[ProblemLoadError] = []
    seen: set[str] = set()
    for number, record in records(jsonl):
        if isinstance(record, ProblemLoadError):
            errors.append(record)
            continue
        try:
            problems.append(read(record, jsonl, number, seen))
        except ProblemLoadError as exc:
            errors.append(exc)
    return problems, errors


def require(record: dict[str, Any], key: str, path: Path, number: int) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ProblemLoadError(path, f"line {number}: missing or empty", field=key)
    return value


def unknown_keys(record: dict[str, Any], known: set[str], number: int) -> list[str]:
    """A warning for every key the importer does not read (a misspelt key would
    otherwise drop what it carries without a word)."""
    return [
        f"line {number}: ignored unknown key {key!r} (known: {', '.join(sorted(known))})"
        for key in sorted(set(record) - known)
    ]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "problem"


def unique_id(base: str, seen: set[str]) -> str:
    pid, suffix = base, 1
    while pid in seen:
        suffix += 1
        pid = f"{base}-{suffix}"
    seen.add(pid)
    return pid


COMPARE_KEYS = {"mode", "rel_tol", "abs_tol", "mutation", "checker"}
MUTATION_WORDS = {"mutation-allowed": False, "mutation-checked": True}
"""``--compare`` words after the mode: whether a function's arguments after the call
must match the original's."""


def parse_compare(raw: Any, where: str, path: Path) -> dict[str, Any]:
    """A compare policy: a mode name or ``{"mode": ..., "rel_tol": ..., "abs_tol": ...,
    "mutation": bool, "checker": "function name"}``."""
    table = {"mode": raw} if isinstance(raw, str) else raw
    if not isinstance(table, dict) or table.get("mode") not in COMPARE_MODES:
        raise ProblemLoadError(
            path,
            f"{where}must be one of {list(COMPARE_MODES)} or a table with such a "
            f"'mode' (and optional rel_tol, abs_tol, mutation, checker), got {raw!r}",
            "compare",
        )
    unknown = set(table) - COMPARE_KEYS
    if unknown:
        raise ProblemLoadError(
            path, f"{where}unknown key(s) {sorted(unknown)} in compare", "compare"
        )
    for key in ("rel_tol", "abs_tol"):
        value = table.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or value < 0
        ):
            raise ProblemLoadError(
                path, f"{where}{key} must be a number >= 0, got {value!r}", "compare"
            )
    if "mutation" in table and not isinstance(table["mutation"], bool):
        raise ProblemLoadError(
            path, f"{where}mutation must be true or false, got {table['mutation']!r}", "compare"
        )
    checker = table.get("checker")
    if checker is not None and (not isinstance(checker, str) or not checker.isidentifier()):
        raise ProblemLoadError(
            path, f"{where}checker must be a function name, got {checker!r}", "compare"
        )
    return dict(table)


def record_policy(
    record: dict[str, Any],
    default: dict[str, Any],
    override: dict[str, Any] | None,
    where: str,
    path: Path,
) -> tuple[dict[str, Any], str | None]:
    """A function record's compare policy and ``checker.py`` source: the record's
    ``compare`` (else the format's ``default``), with ``--compare`` (``override``)
    replacing mode and tolerances, and mutation where it says. A record's ``checker``
    (source defining ``check(input, expected, actual)``, or the function its compare
    table names) is kept whatever the override: it is part of the problem."""
    policy = parse_compare(record.get("compare", default), f"{where}: ", path)
    policy = {"mutation": default.get("mutation", True), **policy}
    source = record.get("checker")
    if source is not None:
        if not isinstance(source, str) or not source.strip():
            raise ProblemLoadError(path, f"{where}: must be Python source", "checker")
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            raise ProblemLoadError(
                path, f"{where}: does not parse (line {exc.lineno}: {exc.msg})", "checker"
            ) from None
        name = policy.setdefault("checker", "check")
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        if name not in defined:
            raise ProblemLoadError(path, f"{where}: defines no function {name}()", "checker")
    elif "checker" in policy:
        raise ProblemLoadError(
            path, f"{where}: compare names checker {policy['checker']!r} but the record "
            "has no 'checker' source", "checker",
        )  # fmt: skip
    if override:
        kept: dict[str, Any] = {k: policy[k] for k in ("mutation", "checker") if k in policy}
        policy = {**kept, **override}
    if policy.get("mutation") is True:
        del policy["mutation"]  # the default: problem.toml says only what differs
    return policy, source


def parse_compare_option(text: str) -> dict[str, Any]:
    """``--compare``: ``MODE[:TOL][,mutation-allowed|,mutation-checked]`` (``float:1e-6``
    sets both tolerances). Raises ValueError with the reason."""
    head, *words = text.split(",")
    mode, _, tol = head.partition(":")
    if mode not in COMPARE_MODES:
        raise ValueError(f"unknown compare mode {mode!r}; one of {', '.join(COMPARE_MODES)}")
    table: dict[str, Any] = {"mode": mode}
    if tol:
        if mode != "float":
            raise ValueError(f"a tolerance only applies to mode float, not {mode!r}")
        try:
            value = float(tol)
        except ValueError:
            raise ValueError(f"not a number: {tol!r}") from None
        if not value >= 0:
            raise ValueError(f"a tolerance must be >= 0, got {tol!r}")
        table.update(rel_tol=value, abs_tol=value)
    for word in words:
        if word not in MUTATION_WORDS:
            raise ValueError(
                f"unknown word {word!r} after the mode; one of {', '.join(MUTATION_WORDS)}"
            )
        table["mutation"] = MUTATION_WORDS[word]
    return table


def literal(value: Any, where: str, path: Path) -> Any:
    """A test value: JSON as it is, or a string ``{"py": "..."}`` holding a Python
    literal — the typed form for what JSON cannot carry (tuples, sets, non-string dict
    keys, big or negative-zero floats)."""
    if isinstance(value, dict) and set(value) == {"py"}:
        text = value["py"]
        if not isinstance(text, str):
            raise ProblemLoadError(path, f"{where}: 'py' must be a string", "tests")
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
            raise ProblemLoadError(
                path, f"{where}: not a Python literal: {text[:80]!r} ({exc})", "tests"
            ) from None
    return value


LITERAL_NAMES = "from math import inf, nan  # how repr writes infinite and NaN floats"
"""Written above a module's ``EDGE_CASES``, so every float the given tests hold loads."""


def given_only_inputs(arg_lists: list[tuple[Any, ...]]) -> str:
    """An ``inputs.py`` without a strategy: the given tests are the edge examples and
    the largest of them is the workload."""
    largest = max(range(len(arg_lists)), key=lambda i: len(repr(arg_lists[i])))
    return (
        '"""Imported without a strategy: the given tests are the edge examples; the largest is the workload."""\n\n'
        f"{LITERAL_NAMES}\n\n"
        f"EDGE_CASES = {arg_lists!r}\n\n\n"
        "def workload():\n"
        f"    return EDGE_CASES[{largest}]\n"
    )


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
        if problem.checker is not None:
            (folder / CHECKER_FILENAME).write_text(problem.checker, encoding="utf-8")
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
