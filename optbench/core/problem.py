"""A problem: a slow program plus what it takes to check and time a faster one."""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

CompareMode = Literal["exact", "float", "unordered", "stdout_ws"]
COMPARE_MODES: tuple[CompareMode, ...] = ("exact", "float", "unordered", "stdout_ws")


class ProblemKind(StrEnum):
    FUNCTION = "function"
    """An entry-point function: equivalence is the same return value, the same exception
    type and the same mutation of the arguments."""
    PROGRAM = "program"
    """A script reading stdin and writing stdout (the CodeNet/PIE style)."""


@dataclass(frozen=True)
class ComparePolicy:
    """How two outputs are compared.

    * ``exact``: equal values of equal types (``1`` and ``1.0`` differ, so do list and tuple).
    * ``float``: like exact, but floats (anywhere inside containers) match within
      ``rel_tol``/``abs_tol``; NaN matches NaN.
    * ``unordered``: like exact, but lists and tuples compare as multisets at the top level.
    * ``stdout_ws``: program output compared token by token (whitespace-normalised).
    """

    mode: CompareMode = "exact"
    rel_tol: float = 1e-9
    abs_tol: float = 1e-9


@dataclass(frozen=True)
class ProgramTest:
    """A given test: stdin text (programs) and the expected stdout, when known."""

    stdin: str
    expected_stdout: str | None = None
    name: str = ""


@dataclass(frozen=True)
class InputSpec:
    """What a problem's ``inputs.py`` provides, once executed.

    For a ``function`` problem every input is a tuple of positional arguments; for a
    ``program`` problem every input is the stdin text.
    """

    strategy: Callable[[], Any] | None
    workload: Callable[..., Any]
    """``workload()`` or ``workload(seed)`` (see :meth:`Problem.workload`)."""
    edge_cases: tuple[Any, ...]


@dataclass(frozen=True)
class Problem:
    """One thing to optimize. Picklable: the inputs module is kept as source text and
    executed lazily in whichever process needs it."""

    id: str
    dataset: str
    title: str
    kind: ProblemKind
    slow_source: str
    fast_source: str | None = None
    entry_point: str | None = None
    tags: tuple[str, ...] = ()
    compare: ComparePolicy = field(default_factory=ComparePolicy)
    statement: str | None = None
    inputs_source: str | None = None
    inputs_filename: str = "inputs.py"
    tests: tuple[ProgramTest, ...] = ()
    content_hash: str = ""
    path: str | None = None
    notes: tuple[str, ...] = ()
    """Loader remarks a user should see (e.g. "no strategy: checked on given tests only")."""

    @property
    def key(self) -> str:
        return f"{self.dataset}/{self.id}"

    @property
    def has_strategy(self) -> bool:
        return self.inputs_source is not None and self.inputs().strategy is not None

    def inputs(self) -> InputSpec:
        """Execute ``inputs.py`` (trusted dataset code) and return its parts."""
        cached = _INPUT_CACHE.get(self.content_hash or id(self))
        if cached is not None:
            return cached
        spec = _exec_inputs(self)
        _INPUT_CACHE[self.content_hash or id(self)] = spec
        return spec

    def workload(self, seed: int | None = None) -> Any:
        """The benchmark input. ``workload(seed)`` in ``inputs.py`` draws a fresh instance
        at the same scale for each seed (a measurement draws one with a seed of its own, so
        a candidate cannot recognise the input and return a stored answer); ``seed`` None
        gives the function's default instance. A ``workload()`` without a parameter
        always gives the same input, whatever ``seed`` says."""
        make = self.inputs().workload
        if seed is None or not self.workload_varies:
            return make()
        return make(seed)

    @property
    def workload_varies(self) -> bool:
        """Whether ``inputs.py``'s ``workload`` takes a seed (see :meth:`workload`)."""
        return _takes_a_seed(self.inputs().workload)

    def edge_cases(self) -> tuple[Any, ...]:
        return self.inputs().edge_cases


_INPUT_CACHE: dict[object, InputSpec] = {}


def _takes_a_seed(function: Callable[..., Any]) -> bool:
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return False
    return bool(parameters) and parameters[0].kind in (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    )


def _exec_inputs(problem: Problem) -> InputSpec:
    if problem.inputs_source is None:
        return _inputs_from_tests(problem)
    namespace: dict[str, Any] = {"__name__": f"optbench_inputs_{problem.id.replace('-', '_')}"}
    code = compile(problem.inputs_source, problem.inputs_filename, "exec")
    exec(code, namespace)
    strategy = namespace.get("strategy")
    workload = namespace.get("workload")
    edge_cases = namespace.get("EDGE_CASES", ())
    if workload is None:
        raise ValueError(f"{problem.inputs_filename}: defines no workload()")
    return InputSpec(
        strategy=strategy,
        workload=workload,
        edge_cases=tuple(edge_cases),
    )


def _inputs_from_tests(problem: Problem) -> InputSpec:
    """Imported problems without inputs.py: the given tests are the only inputs."""
    if not problem.tests:
        raise ValueError(f"{problem.key}: no inputs.py and no given tests")
    largest = max(problem.tests, key=lambda t: len(t.stdin))
    return InputSpec(
        strategy=None,
        workload=lambda: largest.stdin,
        edge_cases=tuple(t.stdin for t in problem.tests),
    )


def sha256_text(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()
