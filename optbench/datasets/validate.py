"""``optbench datasets validate``: every problem's reference checked with the sandboxed
verifier and the pyperf measurer, the same machinery a run uses, its generated inputs
compared with its workload (:func:`scale_check`), and its workload's cost compared across
seeds (:mod:`optbench.datasets.workload_cost`)."""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from optbench.core.problem import Problem, ProblemKind
from optbench.datasets.loader import Dataset, entry_point_node
from optbench.datasets.workload_cost import COST_SEEDS, workload_cost

SELF_CHECK_EXAMPLES = 50
"""Generated inputs for checking the original against itself (see :func:`_self_check`)."""

SHAPE_DRAWS = 5
"""Drawn inputs whose shape is checked (see :func:`_shape_error`)."""

SCALE_DRAWS = 300
"""At most this many inputs are drawn for the scale check (:func:`scale_check`); it stops
as soon as the drawn inputs reach the workload's scale."""
SCALE_SECONDS = 10.0
"""...and it draws for at most this long (building the workload not included)."""
SIZE_FLOOR = 0.1
"""A strategy is flagged when the largest of its drawn inputs is below this fraction of
the workload's size, by any measure the workload has (see :class:`InputProfile`)."""
RANGE_FLOOR = 0.1
"""...or when its drawn numbers cover less than this fraction of the workload's span
(the span from the workload's smallest to its largest number, widened to include 0)."""
ALPHABET_FLOOR = 0.5
"""...or when its drawn strings use less than this fraction of the characters the
workload's strings use."""
PROFILE_NODES = 5_000_000
"""Values looked at per input when profiling it (a bound, not a size any input has)."""


@dataclass
class ValidationResult:
    problem: str
    kind: str
    strategy: str = "-"
    equivalence: str = "-"
    speedup: str = "-"
    failure: str = ""
    scale: str = "-"
    scale_warnings: list[str] = field(default_factory=list)
    """Ways the generated inputs fall short of the workload's scale (see
    :func:`scale_check`): a warning, not a failure (the reference may well be right, but
    candidates are checked on inputs unlike the one they are timed on)."""
    cost: str = "-"
    """The original's cost on the workloads of a few seeds (see
    :mod:`optbench.datasets.workload_cost`), ``-`` where not checked."""
    cost_warnings: list[str] = field(default_factory=list)
    """How that cost swings with the seed or misses the aim: a warning, not a failure
    (both sides of a measurement are timed on the same draw)."""
    disagreement: str = ""
    """A reference/original disagreement on a synthesized input that does not count
    against the reference (the input, and why: see
    :mod:`optbench.datasets.synthesis.disagreement`)."""

    @property
    def ok(self) -> bool:
        return not self.failure


@dataclass
class InputProfile:
    """How large and how wide one input is, or the envelope of several.

    Sizes are by measure: for a function's arguments ``items`` (elements of every list,
    tuple, set and dict inside them, at any depth) and ``chars`` (characters of every
    string inside them); for a program's stdin ``lines``, ``tokens`` (whitespace-separated)
    and ``chars``. Numbers are the ints and floats anywhere in the arguments (bools and
    non-finite floats left out), or the stdin tokens that read as numbers."""

    sizes: dict[str, int] = field(default_factory=dict)
    low: float | None = None
    high: float | None = None
    alphabet: set[str] = field(default_factory=set)

    def merge(self, other: InputProfile) -> None:
        for name, size in other.sizes.items():
            self.sizes[name] = max(self.sizes.get(name, 0), size)
        if other.low is not None:
            self.low = other.low if self.low is None else min(self.low, other.low)
        if other.high is not None:
            self.high = other.high if self.high is None else max(self.high, other.high)
        self.alphabet |= other.alphabet

    def number(self, value: float) -> None:
        self.low = value if self.low is None else min(self.low, value)
        self.high = value if self.high is None else max(self.high, value)

    def describe(self) -> str:
        parts = [f"{name} {size}" for name, size in self.sizes.items()]
        if self.low is not None and self.high is not None:
            parts.append(f"numbers {_num(self.low)}..{_num(self.high)}")
        if self.alphabet:
            parts.append(f"{len(self.alphabet)} distinct characters")
        return ", ".join(parts) or "empty"


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_BIG = 10**300


def profile_input(kind: ProblemKind, value: Any) -> InputProfile:
    """The :class:`InputProfile` of one input of a problem of ``kind``."""
    profile = InputProfile()
    if kind is ProblemKind.PROGRAM:
        text = value if isinstance(value, str) else ""
        tokens = text.split()
        profile.sizes = {
            "lines": text.count("\n") + (1 if text and not text.endswith("\n") else 0),
            "tokens": len(tokens),
            "chars": len(text),
        }
        profile.alphabet = set(text)
        for token in tokens:
            if _NUMBER.fullmatch(token):
                number = float(token)
                if math.isfinite(number):
                    profile.number(number)
        return profile
    items = chars = seen = 0
    stack: list[Any] = list(value) if isinstance(value, tuple) else [value]
    while stack and seen < PROFILE_NODES:
        item = stack.pop()
        seen += 1
        if isinstance(item, str):
            chars += len(item)
            profile.alphabet |= set(item)
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            profile.number(float(max(-_BIG, min(_BIG, item))))
        elif isinstance(item, float):
            if math.isfinite(item):
                profile.number(item)
        elif isinstance(item, dict):
            items += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            items += len(item)
            stack.extend(item)
    profile.sizes = {"items": items, "chars": chars}
    return profile


@dataclass
class ScaleCheck:
    """What :func:`scale_check` found: the workload's profile, the envelope of the drawn
    inputs' profiles, how many were drawn, and the shortfalls (empty when the drawn
    inputs reach the workload's scale)."""

    workload: InputProfile
    drawn: InputProfile
    draws: int
    warnings: list[str]

    @property
    def ok(self) -> bool:
        return not self.warnings


class _Enough(BaseException):
    """Ends the drawing (not an ``Exception``: Hypothesis lets it through)."""


def shortfalls(workload: InputProfile, drawn: InputProfile) -> list[str]:
    """How ``drawn`` (the envelope of the drawn inputs) falls short of ``workload``, by
    the thresholds :data:`SIZE_FLOOR`, :data:`RANGE_FLOOR` and :data:`ALPHABET_FLOOR`."""
    found: list[str] = []
    for name, size in workload.sizes.items():
        largest = drawn.sizes.get(name, 0)
        if size > 0 and largest < SIZE_FLOOR * size:
            found.append(f"size: {name} at most {largest} drawn, {size} in the workload")
    if workload.low is not None and workload.high is not None:
        low, high = min(workload.low, 0.0), max(workload.high, 0.0)
        span = high - low
        if span > 0:
            covered = 0.0
            if drawn.low is not None and drawn.high is not None:
                covered = max(0.0, min(high, drawn.high) - max(low, drawn.low))
            if covered < RANGE_FLOOR * span:
                where = (
                    f"{_num(drawn.low)}..{_num(drawn.high)} drawn"
                    if drawn.low is not None and drawn.high is not None
                    else "no numbers drawn"
                )
                found.append(
                    f"values: {where}, {_num(workload.low)}..{_num(workload.high)} in the "
                    f"workload ({covered / span:.1%} of its span)"
                )
    if workload.alphabet:
        shared = len(workload.alphabet & drawn.alphabet)
        if shared < ALPHABET_FLOOR * len(workload.alphabet):
            missing = "".join(sorted(workload.alphabet - drawn.alphabet))
            found.append(
                f"characters: {shared} of the workload's {len(workload.alphabet)} drawn "
                f"(never {missing[:40]!r}{'...' if len(missing) > 40 else ''})"
            )
    return found


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.3g}"


def scale_check(
    problem: Problem, *, draws: int = SCALE_DRAWS, seconds: float = SCALE_SECONDS
) -> ScaleCheck | None:
    """Whether the problem's strategy draws inputs as large and as wide as its workload:
    draws up to ``draws`` inputs (derandomized) for up to ``seconds``, stopping as soon as
    they reach the workload's scale. ``None`` for a problem without a strategy."""
    spec = problem.inputs()
    if spec.strategy is None:
        return None
    from hypothesis import HealthCheck, Phase, given, settings

    workload = profile_input(problem.kind, problem.workload())
    drawn = InputProfile()
    count = 0
    arity = _arity(problem) if problem.kind is ProblemKind.FUNCTION else None
    deadline = time.monotonic() + seconds

    @settings(
        max_examples=draws,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(spec.strategy())
    def draw(value: object) -> None:
        nonlocal count
        count += 1
        shape = _shape_error(problem, value, arity)
        if shape:
            raise ValueError(shape)
        drawn.merge(profile_input(problem.kind, value))
        if not shortfalls(workload, drawn) or time.monotonic() > deadline:
            raise _Enough

    with contextlib.suppress(_Enough):
        draw()
    return ScaleCheck(workload, drawn, count, shortfalls(workload, drawn))


def _check_strategy(problem: Problem) -> str:
    spec = problem.inputs()
    if spec.strategy is None:
        return "none (given tests)"
    from hypothesis import HealthCheck, given, settings

    drawn: list[object] = []

    @settings(
        max_examples=SHAPE_DRAWS,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(spec.strategy())
    def draw(value: object) -> None:
        drawn.append(value)

    draw()
    for value in drawn:
        problem_shape = _shape_error(problem, value)
        if problem_shape:
            raise ValueError(problem_shape)
    return f"draws ({len(drawn)})"


def _shape_error(
    problem: Problem, value: object, arity: tuple[int, int] | None = None
) -> str | None:
    """Why a drawn input cannot be what the problem takes, or ``None``. A function's input
    is the tuple of its positional arguments: a strategy drawing the argument itself (a
    list, say) would be spread into many arguments, the original and the candidate would
    both raise TypeError on every input, and every candidate would look equivalent."""
    if problem.kind is ProblemKind.PROGRAM:
        if not isinstance(value, str):
            return f"draws {type(value).__name__}, not stdin text (str): {value!r:.80}"
        return None
    if not isinstance(value, tuple):
        return (
            f"draws {type(value).__name__}, not a tuple of positional arguments: {value!r:.80} "
            "(wrap it: st.tuples(...))"
        )
    low, high = arity or _arity(problem)
    if not low <= len(value) <= high:
        want = str(low) if low == high else f"{low}-{high}" if high < 10**6 else f">= {low}"
        return (
            f"draws {len(value)} argument(s) for {problem.entry_point}, which takes {want}: "
            f"{value!r:.80}"
        )
    return None


def _arity(problem: Problem) -> tuple[int, int]:
    """How many positional arguments the slow version's entry point accepts."""
    import ast

    node = entry_point_node(ast.parse(problem.slow_source), problem.entry_point)
    if node is None:
        return 0, 10**9
    args = node.args
    positional = len(args.posonlyargs) + len(args.args)
    required = positional - len(args.defaults)
    return required, 10**9 if args.vararg else positional


class DrawTimeout(BaseException):
    """The strategy took longer than :data:`DRAW_SECONDS` to draw its inputs. Not an
    :class:`Exception`, so Hypothesis passes it through instead of shrinking (which
    would run the endless strategy again)."""


DRAW_SECONDS = 60.0
"""How long drawing a problem's sample inputs (and the scale check) may take in all:
a strategy that never returns would otherwise hang the validation."""


@contextlib.contextmanager
def _time_limit(seconds: float, what: str = "drawing inputs") -> Iterator[None]:
    """Raise :class:`DrawTimeout` (saying that ``what`` took too long) in this (main)
    thread after ``seconds``; a no-op where there are no interval timers or this is not
    the main thread."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DrawTimeout(f"{what} took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _check_draws(problem: Problem, result: ValidationResult) -> bool:
    """The strategy's shape and scale checks, into ``result``; False when one failed."""
    try:
        result.strategy = _check_strategy(problem)
    except Exception as exc:
        result.failure = f"strategy: {type(exc).__name__}: {exc}"
        return False
    try:
        scale = scale_check(problem)
    except Exception as exc:
        result.failure = f"scale check: {type(exc).__name__}: {exc}"
        return False
    if scale is not None:
        result.scale_warnings = scale.warnings
        result.scale = (
            f"reaches the workload ({scale.draws} draws)"
            if scale.ok
            else f"short of the workload ({scale.draws} draws)"
        )
    return True


def _validate_one(
    problem: Problem,
    examples: int,
    draw_seconds: float = DRAW_SECONDS,
    siblings: list[str] | None = None,
    cost_seeds: int = 0,
) -> ValidationResult:
    """``siblings``: other accepted solutions of the problem, which vote on a
    disagreement (:mod:`optbench.datasets.synthesis.disagreement`); ``cost_seeds``: how
    many seeds' workloads the original is timed on (0: none), once the rest passed."""
    result = _verify_one(problem, examples, draw_seconds, siblings)
    if result.ok and cost_seeds > 0:
        _check_cost(problem, result, cost_seeds, draw_seconds)
    return result


def _check_cost(problem: Problem, result: ValidationResult, seeds: int, seconds: float) -> None:
    """The workload's cost across ``seeds`` seeds, into ``result`` (a failure only when
    the workload cannot be built or the original fails on it)."""
    from optbench.measure.runs import MeasurementError

    try:
        with _time_limit(seconds, "building and timing the workloads"):
            found = workload_cost(problem, seeds=seeds)
    except DrawTimeout as exc:
        result.failure = f"workload cost: {exc}"
        return
    except MeasurementError as exc:
        seed = "default" if exc.workload_seed is None else exc.workload_seed
        result.failure = f"workload (seed {seed}): {exc}"
        return
    except Exception as exc:
        result.failure = f"workload cost: {type(exc).__name__}: {exc}"
        return
    result.cost = found.describe()
    result.cost_warnings = found.warnings


def _verify_one(
    problem: Problem,
    examples: int,
    draw_seconds: float = DRAW_SECONDS,
    siblings: list[str] | None = None,
) -> ValidationResult:
    from optbench.verify import VerifyConfig, verify

    result = ValidationResult(problem.id, problem.kind.value)
    try:
        with _time_limit(draw_seconds):
            drawn = _check_draws(problem, result)
    except DrawTimeout as exc:
        result.failure = f"strategy: {exc} (a strategy that never returns?)"
        return result
    if not drawn:
        return result
    self_failure = _self_check(problem, min(examples, SELF_CHECK_EXAMPLES))
    if self_failure:
        result.failure = self_failure
        return result
    if problem.fast_source is None:
        result.equivalence = "no reference (original checked against itself)"
        return result
    verdict = verify(problem, problem.fast_source, VerifyConfig(max_examples=examples))
    result.equivalence = f"{verdict.status.value} ({verdict.examples_tried} inputs)"
    if not verdict.ok:
        detail = verdict.counterexample.for_prompt() if verdict.counterexample else verdict.message
        classified = _classify_disagreement(problem, verdict, siblings)
        if classified is not None and not classified.counts:
            result.disagreement = (
                f"{classified.label}: {classified.explanation}; input {verdict.counterexample.input!r:.300}"
                if verdict.counterexample
                else classified.explanation
            )
            result.equivalence += f", disagreement {classified.label}"
            return result
        why = f" ({classified.label}: {classified.explanation})" if classified else ""
        result.failure = f"{failure_label(verdict)}{why}: {detail}"
    elif verdict.strategy_used and "budget" in verdict.message:
        # fewer inputs than asked because the time ran out (a small input space that
        # Hypothesis exhausts is fine: every input was checked)
        result.failure = (
            f"only {verdict.examples_tried} inputs checked in the time budget (want {examples})"
        )
    return result


ORIGINAL_FAILED = "the original failed on input"
"""How the verifier's message begins when the original, not the candidate, failed."""


def failure_label(verdict: Any) -> str:
    """What a failed verification of the reference means, in words: the reference
    differs, crashes or is too slow — or the original failed on a generated input (a
    problem of the dataset's strategy or of the original, not of the reference)."""
    status = verdict.status.value
    if ORIGINAL_FAILED in (verdict.message or ""):
        return "the original failed on a generated input (narrow the strategy or fix the original)"
    return {
        "not_equivalent": "reference not equivalent",
        "timeout": "reference timed out",
        "rejected": "reference rejected by the sandbox",
    }.get(status, f"reference failed ({status})")


def _classify_disagreement(
    problem: Problem, verdict: Any, siblings: list[str] | None = None
) -> Any:
    """For a problem with synthesized inputs, what the reference's counterexample means
    (:func:`optbench.datasets.synthesis.disagreement.classify`); None otherwise."""
    from optbench.datasets.synthesis.disagreement import classify
    from optbench.datasets.synthesis.provenance import is_synthesized

    example = verdict.counterexample
    if not is_synthesized(problem) or example is None:
        return None
    text = example.full_input or example.input
    if text.endswith(" chars]"):  # clipped, and the whole input was not kept
        return None
    try:
        return classify(problem, text, siblings)
    except Exception:
        return None


def _self_check(problem: Problem, examples: int) -> str | None:
    """Verify the original against itself, where that can fail: without a reference (the
    only check there is), and with given tests that have expected outputs (candidates are
    compared with those, so an original that disagrees with them makes every candidate,
    the identity included, not equivalent). It also catches an original whose results do
    not repeat from one process to the next."""
    from optbench.verify import VerifyConfig, verify

    has_expected = any(t.expected_stdout is not None for t in problem.tests)
    if problem.fast_source is not None and not has_expected:
        return None
    verdict = verify(problem, problem.slow_source, VerifyConfig(max_examples=examples))
    if verdict.ok:
        return None
    detail = verdict.counterexample.for_prompt() if verdict.counterexample else verdict.message
    if has_expected and verdict.counterexample is not None:
        return (
            f"the original disagrees with a given test's expected output "
            f"({verdict.status.value}): {detail}"
        )
    return (
        f"the original is not equivalent to itself ({verdict.status.value}; output that "
        f"changes between processes, such as an object's default repr?): {detail}"
    )


def validate_dataset(
    dataset: Dataset,
    *,
    examples: int = 200,
    profile: str = "quick",
    timing: bool = True,
    cost_seeds: int = COST_SEEDS,
    only: set[str] | None = None,
    workers: int | None = None,
    console: Console | None = None,
) -> list[ValidationResult]:
    """``timing`` False skips both timed checks: the reference's speedup (with
    ``profile``) and the workload's cost on ``cost_seeds`` seeds (0 skips that one)."""
    from optbench.measure import MeasurementError, measure

    problems = [p for p in dataset.problems if only is None or p.id in only]
    results: list[ValidationResult] = [
        ValidationResult(str(err.path.parent.name), "?", failure=f"load: {err}")
        for err in dataset.skipped
    ]
    progress = Progress(
        TextColumn("[bold]{task.description:<8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )
    with progress:
        task = progress.add_task("verify", total=len(problems))
        pool_size = workers or max(1, min(os.cpu_count() or 1, len(problems)))
        with ProcessPoolExecutor(
            pool_size, mp_context=multiprocessing.get_context("spawn")
        ) as pool:
            checked = []
            from optbench.datasets.synthesis.disagreement import siblings_of

            everyone = list(dataset.problems)
            for checked_result in pool.map(
                _validate_one,
                problems,
                [examples] * len(problems),
                [DRAW_SECONDS] * len(problems),
                [siblings_of(p, everyone) for p in problems],
                [cost_seeds if timing else 0] * len(problems),
            ):
                checked.append(checked_result)
                progress.advance(task)
                _plain_progress(console, "verified", len(checked), len(problems), checked_result)
        if timing:
            timing_task = progress.add_task("measure", total=len(problems))
            for done, (problem, result) in enumerate(zip(problems, checked, strict=True), 1):
                if result.ok and problem.fast_source is not None:
                    try:
                        m = measure(problem, problem.fast_source, profile)
                    except MeasurementError as exc:
                        result.failure = f"measurement: {exc}"
                    else:
                        t = m.time
                        result.speedup = f"{t.ratio:.2f}x [{t.ci_low:.2f}, {t.ci_high:.2f}]"
                        if not (t.significant and t.ratio >= 1.0):
                            result.failure = "reference is not significantly faster on the workload"
                progress.advance(timing_task)
                _plain_progress(console, "measured", done, len(problems), result)
    return results + checked


def _plain_progress(
    console: Console | None, stage: str, done: int, total: int, result: ValidationResult
) -> None:
    """One line per problem where the output is not a terminal (a log file, CI), which
    rich's progress bar leaves silent."""
    if console is None or console.is_terminal:
        return
    state = "ok" if result.ok else f"failed: {result.failure}"
    console.print(
        f"{stage} {done}/{total} {result.problem}: {state}", highlight=False, soft_wrap=True
    )
