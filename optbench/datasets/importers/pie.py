"""PIE (Shypula et al., 2024): JSONL records with ``problem_id``, ``input`` (slow
source) and ``target`` (fast source), plus test-case folders
``<tests>/<problem_id>/input.N.txt`` and ``output.N.txt``. Each pair becomes a
``program`` problem.

Judging as the source judges: AtCoder, where PIE's problems come from, accepts a
numeric answer within 1e-6 (absolute or relative) on problems whose answers are
decimals, so a problem whose given outputs hold a decimal number is compared with that
tolerance (``float``, token by token); the others token by token exactly
(``stdout_ws``), so an integer answer stays exact."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from optbench.datasets.errors import ProblemLoadError
from optbench.datasets.importers.common import (
    NO_STRATEGY_NOTE,
    ImportOptions,
    ProblemFiles,
    records,
    require,
    slug,
)
from optbench.datasets.importers.registry import Importer, register

PIE_TOLERANCE = 1e-6
DECIMAL_TOKEN = re.compile(r"^-?\d*\.\d+(?:[eE][-+]?\d+)?$")

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


def import_pie(
    jsonl: Path, tests_dir: Path | None = None, compare: dict[str, Any] | None = None
) -> tuple[list[ProblemFiles], list[ProblemLoadError]]:
    """PIE pairs → program problems. Records without test cases are skipped and reported;
    ``compare`` overrides the policy chosen from the given outputs."""
    problems: list[ProblemFiles] = []
    errors: list[ProblemLoadError] = []
    counts: dict[str, int] = defaultdict(int)
    for number, record in records(jsonl):
        if isinstance(record, ProblemLoadError):
            errors.append(record)
            continue
        try:
            problem_id = require(record, "problem_id", jsonl, number)
            slow = require(record, "input", jsonl, number)
            fast = require(record, "target", jsonl, number)
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
        pid = f"{slug(problem_id)}-{index}"
        meta = {
            "id": pid,
            "title": f"PIE {problem_id} pair {index}",
            "kind": "program",
            "tags": ["pie", "imported"],
            "compare": dict(compare) if compare else pie_compare(tests),
            "notes": [NO_STRATEGY_NOTE, *_pie_provenance(record, jsonl, number)],
        }
        problems.append(ProblemFiles(pid, meta, slow, fast, tests=tests))
    return problems, errors


def pie_compare(tests: list[tuple[str, str | None]]) -> dict[str, Any]:
    """``float`` within :data:`PIE_TOLERANCE` when a given output holds a decimal
    number, else ``stdout_ws``."""
    decimal = any(
        DECIMAL_TOKEN.match(token)
        for _, expected in tests
        if expected is not None
        for token in expected.split()
    )
    if decimal:
        return {"mode": "float", "rel_tol": PIE_TOLERANCE, "abs_tol": PIE_TOLERANCE}
    return {"mode": "stdout_ws"}


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


def _load(path: Path, options: ImportOptions) -> tuple[list[ProblemFiles], list[ProblemLoadError]]:
    if options.tests_dir is None:
        raise ValueError("PIE import needs --tests DIR (the per-problem test-case folders)")
    return import_pie(path, options.tests_dir, options.compare)


register(
    Importer(
        "pie",
        "PIE pairs: problem_id, input (slow), target (fast); test cases from --tests "
        "DIR/<problem_id>/input.N.txt, output.N.txt. Program problems; decimal answers "
        "compared within 1e-6 as AtCoder does.",
        _load,
        needs_tests_dir=True,
    )
)
