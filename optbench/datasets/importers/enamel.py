"""ENAMEL-style problems (Qiu et al., 2024): HumanEval problems with an expert-written
efficient reference, an input generator and size levels.

A record holds HumanEval's ``task_id``, ``prompt``, ``canonical_solution`` and
``entry_point`` (the original is ``prompt + canonical_solution``), plus

* ``reference``: the efficient solution, a whole module defining the entry point (the
  problem's fast version);
* ``generator``: Python source defining ``generate(size, rng)``, which returns one
  argument list for an input of about ``size`` (``rng`` a :class:`random.Random`);
* ``levels``: the sizes, increasing (e.g. ``[10, 1000, 100000]``);
* optionally ``test`` (``check(candidate)``, read as for HumanEval) and ``tests`` (a
  list of argument lists): the given tests;
* optionally ``compare`` (a mode or a table, default exact with argument mutation
  allowed, as ENAMEL judges the return value only) and ``checker`` (source defining
  ``check(input, expected, actual) -> bool``, written to ``checker.py``) for problems
  with several valid answers.

The generator is written into the problem's ``inputs.py``: the strategy draws inputs
at the levels below the largest, the workload at the largest (a fresh one per seed)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from optbench.datasets.errors import ProblemLoadError
from optbench.datasets.importers.common import (
    ImportOptions,
    ProblemFiles,
    import_records,
    record_policy,
    require,
    slug,
    unique_id,
    unknown_keys,
)
from optbench.datasets.importers.humaneval import argument_lists, check_calls, original_source
from optbench.datasets.importers.registry import Importer, register
from optbench.datasets.loader import entry_point_params

RECORD_KEYS = {
    "task_id",
    "prompt",
    "canonical_solution",
    "entry_point",
    "reference",
    "generator",
    "levels",
    "test",
    "tests",
    "compare",
    "checker",
}
DEFAULT_COMPARE = {"mode": "exact", "mutation": False}
"""ENAMEL judges the return value only (its references sort the caller's list in place)."""
GENERATOR_NOTE = "inputs from the source's generator at sizes {levels}; workload at size {top}"


def import_enamel(
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
    where = f"line {number} ({task_id})"
    source, entry_point = original_source(record, path, number)
    reference = require(record, "reference", path, number)
    try:
        entry_point_params(reference, entry_point, path)
    except ProblemLoadError as exc:
        raise ProblemLoadError(path, f"{where}: reference {exc.message}", "reference") from None
    generator = require(record, "generator", path, number)
    _check_generator(generator, where, path)
    levels = record.get("levels")
    if (
        not isinstance(levels, list)
        or not levels
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in levels)
        or levels != sorted(set(levels))
    ):
        raise ProblemLoadError(
            path, f"{where}: must be a non-empty increasing list of positive sizes", "levels"
        )
    given: list[tuple[Any, ...]] = []
    if record.get("test"):
        given += [args for args, _ in check_calls(str(record["test"]), where, path).calls]
    given += argument_lists(record, "tests", path, number)
    given = list({repr(a): a for a in given}.values())
    policy, checker = record_policy(record, DEFAULT_COMPARE, compare, where, path)
    pid = unique_id(slug(task_id), seen)
    meta: dict[str, Any] = {
        "id": pid,
        "title": task_id,
        "kind": "function",
        "entry_point": entry_point,
        "tags": ["enamel", "imported"],
        "compare": policy,
        "notes": [GENERATOR_NOTE.format(levels=levels, top=levels[-1])],
    }
    inputs = generator_inputs(task_id, generator, levels, given)
    return ProblemFiles(
        pid,
        meta,
        source,
        reference,
        inputs=inputs,
        checker=checker,
        warnings=unknown_keys(record, RECORD_KEYS, number),
    )


def _check_generator(generator: str, where: str, path: Path) -> None:
    try:
        tree = ast.parse(generator)
    except SyntaxError as exc:
        raise ProblemLoadError(
            path, f"{where}: does not parse (line {exc.lineno}: {exc.msg})", "generator"
        ) from None
    node = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "generate"), None
    )
    if node is None or len(node.args.args) < 2:
        raise ProblemLoadError(path, f"{where}: must define generate(size, rng)", "generator")


def generator_inputs(
    task_id: str, generator: str, levels: list[int], given: list[tuple[Any, ...]]
) -> str:
    """The ``inputs.py`` of an ENAMEL-style problem: the generator verbatim, then the
    strategy and workload built on it."""
    small = levels[:-1] or levels
    return f'''"""Inputs of {task_id} from the source's own generator (written below as given);
the strategy draws at sizes {small}, the workload at size {levels[-1]}."""

import random
from math import inf, nan  # how repr writes infinite and NaN floats

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale

# --- the source's generator -------------------------------------------------
{generator.rstrip()}
# -----------------------------------------------------------------------------

LEVELS = {levels!r}
EDGE_CASES = {given!r}


def _generated(size: int, rng: random.Random) -> tuple:
    return tuple(generate(size, rng))


def strategy():
    smallest = st.integers(0, 2**32 - 1).map(lambda seed: _generated(LEVELS[0], random.Random(seed)))
    below = LEVELS[:-1] or LEVELS

    def larger(rng: random.Random, fraction: float) -> tuple:
        return _generated(below[min(len(below) - 1, int(fraction * len(below)))], rng)

    return at_scale(smallest, larger)


def workload(seed: int = 0) -> tuple:
    return _generated(LEVELS[-1], random.Random(seed))
'''


def _load(path: Path, options: ImportOptions) -> tuple[list[ProblemFiles], list[ProblemLoadError]]:
    if options.tests_dir is not None:
        raise ValueError("--tests is for PIE imports; an ENAMEL record carries its own inputs")
    return import_enamel(path, options.compare)


register(
    Importer(
        "enamel",
        "ENAMEL-style: HumanEval fields plus reference (the efficient solution), generator "
        "(source of generate(size, rng) -> argument list) and levels (sizes, increasing); "
        "the workload is drawn at the largest level.",
        _load,
    )
)
