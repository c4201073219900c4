"""A problem: a slow program plus what it takes to check and time a faster one."""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

CHECKER_FILENAME = "checker.py"
"""Where a problem's checker function (``[compare] checker``) is defined."""

CompareMode = Literal["exact", "float", "unordered", "stdout_ws"]
COMPARE_MODES: tuple[CompareMode, ...] = ("exact", "float", "unordered", "stdout_ws")


class ProblemKind(StrEnum):
    FUNCTION = "function"
    """An entry-point function: equivalence is the same return value, the same exception
    type and the same mutation of the arguments (unless the compare policy allows any
    mutation or a checker judges the return value)."""
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

    Two switches refine any mode:

    * ``mutation``: whether a function's arguments after the call must match too (the
      default). False where the source allows a solution to mutate its input or not
      (ENAMEL's references sort the caller's list in place): then only the return value
      and the exception type count.
    * ``checker``: the name of a function ``check(input, expected, actual) -> bool``
      in the problem's ``checker.py``, for problems with several valid answers (any pair
      of two-sum, an approximate root). It judges the candidate's return value (stdout
      for programs) given the input and the original's answer, instead of equality;
      exceptions, exit status and mutation are compared as without it. It is dataset
      code and runs on the trusted side only.
    """

    mode: CompareMode = "exact"
    rel_tol: float = 1e-9
    abs_tol: float = 1e-9
    mutation: bool = True
    checker: str | None = None

    @property
    def by_digest(self) -> bool:
        """Whether equal outputs are exactly equal encoded outputs, so that an output
        digest decides (exact mode, arguments compared, no checker)."""
        return self.mode == "exact" and self.mutation and self.checker is None

    def describe(self, kind: ProblemKind | None = None) -> str:
        """One line for people: the mode, its tolerances and what refines it."""
        parts: list[str] = [self.mode]
        if self.mode == "float":
            parts[0] += f" (rel_tol {self.rel_tol:g}, abs_tol {self.abs_tol:g})"
        if not self.mutation and kind is not ProblemKind.PROGRAM:
            parts.append("argument mutation allowed")
        if self.checker is not None:
            parts.append(f"answers judged by {self.checker}() in {CHECKER_FILENAME}")
        return "; ".join(parts)


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
    synthesized: bool = False
    """The strategy was inferred from given tests (the module sets ``SYNTHESIZED_FROM``):
    a drawn input the original does not accept (it raises, exits non-zero or fails) lies
    outside the problem's domain and is discarded, never a counterexample."""


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
    checker_source: str | None = None
    """The problem's ``checker.py`` (see :attr:`ComparePolicy.checker`), as source text."""
    checker_filename: str = CHECKER_FILENAME
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

    def checker(self) -> CheckFunction | None:
        """The function named by ``compare.checker``, from ``checker.py`` (trusted dataset
        code, executed here on first use); None without a checker. Raises ValueError
        when the file or the function is missing."""
        name = self.compare.checker
        if name is None:
            return None
        key = (self.content_hash or id(self), name)
        cached = _CHECKER_CACHE.get(key)
        if cached is not None:
            return cached
        if self.checker_source is None:
            raise ValueError(f"{self.key}: compare.checker is {name!r} but there is no checker.py")
        namespace: dict[str, Any] = {"__name__": f"optbench_checker_{self.id.replace('-', '_')}"}
        exec(compile(self.checker_source, self.checker_filename, "exec"), namespace)
        function = namespace.get(name)
        if not callable(function):
            raise ValueError(f"{self.checker_filename}: defines no function {name!r}")
        _CHECKER_CACHE[key] = function
        return function


CheckFunction = Callable[[Any, Any, Any], Any]
"""``check(input, expected, actual)``: True when ``actual`` is a valid answer."""

_INPUT_CACHE: dict[object, InputSpec] = {}
_CHECKER_CACHE: dict[tuple[object, str], CheckFunction] = {}


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
        synthesized="SYNTHESIZED_FROM" in namespace,
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
