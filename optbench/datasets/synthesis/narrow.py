"""Choosing among inferred grammars with the original as the judge.

Each grammar is tried with ranges widened below the given tests, then with the given
ranges; the first whose sampled inputs the original accepts often enough
(:data:`ACCEPT_SHARE`) is kept. Rejected samples are discarded and counted.

Of a grammar's levels that pass, one on which the original rejects nothing is
preferred: the widened ranges then fall back to the given ones where they reach past the
original's domain (a rejected input is discarded here, but a verifier that meets one
would still have to run it).

Where the problem has a reference (a second accepted solution, as every PIE pair has),
it answers the accepted samples too: two accepted solutions that disagree on an input
say the input breaks a constraint the given tests do not show (the filter CodeContests
applies to generated tests). Between the levels of one grammar the first on which they
agree is kept, so ranges widened past such a constraint (``N = 1`` where ``N >= 2``)
fall back to the given ones. The reference never picks the structure itself, so a
reference that is wrong on valid inputs still shows in validation."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from optbench.core.problem import ComparePolicy
from optbench.datasets.synthesis.codegen import LEVELS, Options, grows_by_magnitude, inputs_module
from optbench.datasets.synthesis.draw import Build
from optbench.datasets.synthesis.grammar import Segment
from optbench.datasets.synthesis.original import Original
from optbench.datasets.synthesis.relations import SAMPLES as RELATION_SAMPLES
from optbench.datasets.synthesis.relations import Sample, bind, hold, select
from optbench.datasets.synthesis.sampling import small_samples
from optbench.runtime.compare import float_tokens_equal

ACCEPT_SHARE = 0.9
SAMPLES = 15
"""Hypothesis draws per try, and as many seeded random ones."""
FLOAT_TOLERANCE = 1e-6
"""Answers this close are the same (AtCoder's and PIE's tolerance)."""
GIVE_UP_AFTER = 5
"""Rejections after which a try is abandoned early (it can no longer reach the share)."""


@dataclass
class Attempt:
    grammar: list[Segment]
    options: Options
    sampled: int = 0
    accepted: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    example: str = ""
    """One rejected input, for the record."""
    disagreed: int = 0
    """Accepted samples on which the reference answered otherwise."""

    @property
    def share(self) -> float:
        return self.accepted / self.sampled if self.sampled else 0.0


def compile_build(grammar: list[Segment], options: Options, given: list[str]) -> Build:
    """The ``build`` function of the ``inputs.py`` a grammar becomes."""
    namespace: dict[str, Any] = {"__name__": "optbench_synthesized"}
    source = inputs_module(grammar, options, given=given, workload_scale=1.0, provenance=[])
    exec(compile(source, "<synthesized inputs.py>", "exec"), namespace)
    build: Build = namespace["build"]
    return build


def same_answer(first: str, second: str, tolerance: float = FLOAT_TOLERANCE) -> bool:
    """Same tokens, numbers within ``tolerance`` (absolute or relative)."""
    policy = ComparePolicy(mode="float", rel_tol=tolerance, abs_tol=tolerance)
    return float_tokens_equal(first, second, policy)


def _disagrees(reference: Original | None, text: str, answer: str) -> bool:
    """Whether ``reference`` fails on ``text`` or answers otherwise than ``answer``."""
    if reference is None:
        return False
    run = reference.run(text)
    return not run.accepted or not same_answer(answer, run.stdout)


def judge(
    original: Original, build: Build, attempt: Attempt, reference: Original | None = None
) -> None:
    """Run the original on sampled inputs; count what it accepts (and, given a
    reference, on how many of those the reference answers otherwise)."""
    for text in small_samples(build, SAMPLES):
        run = original.run_twice(text)
        attempt.sampled += 1
        if run.accepted:
            attempt.accepted += 1
            attempt.disagreed += _disagrees(reference, text, run.stdout)
            continue
        attempt.reasons[run.reason] += 1
        attempt.example = attempt.example or text
        if attempt.sampled - attempt.accepted >= GIVE_UP_AFTER:
            return


def choose(
    grammars: list[list[Segment]],
    original: Original,
    given: list[str],
    reference: Original | None = None,
) -> tuple[Attempt | None, list[Attempt]]:
    """The first (grammar, level) the original accepts — of a grammar's levels, the
    first on which the original rejects nothing and the ``reference`` agrees with it
    (once a level where they disagree has tried :func:`relate`),
    else the one with the fewest disagreements, then rejections; and every attempt
    made."""
    attempts: list[Attempt] = []
    for grammar in grammars:
        magnitudes = grows_by_magnitude(grammar)
        passed: list[Attempt] = []
        for level in LEVELS:
            attempt = Attempt(grammar, Options(level, magnitudes))
            try:
                build = compile_build(grammar, attempt.options, given)
                judge(original, build, attempt, reference)
            except Exception as exc:  # a grammar the writer or a draw cannot handle
                attempt.reasons[f"synthesis failed: {type(exc).__name__}: {exc}"[:200]] += 1
            attempts.append(attempt)
            if attempt.sampled and attempt.share >= ACCEPT_SHARE:
                if attempt.disagreed:
                    # a relation between numbers may keep the wider ranges
                    related = relate(attempt, original, given, reference)
                    if related is not attempt:
                        attempts.append(related)
                        attempt = related
                if not attempt.disagreed and attempt.accepted == attempt.sampled:
                    return attempt, attempts
                passed.append(attempt)
        if passed:
            return min(passed, key=_doubt), attempts
    return None, attempts


def _doubt(attempt: Attempt) -> tuple[float, float]:
    """How much an accepted level reaches past the problem's constraints: the share of
    disagreements with the reference, then of inputs the original rejects (the verifier
    runs every drawn input, so fewer such inputs is better; ties keep the wider level)."""
    return attempt.disagreed / max(1, attempt.accepted), 1 - attempt.share


def relate(
    attempt: Attempt, original: Original, given: list[str], reference: Original | None = None
) -> Attempt:
    """``attempt`` with the relations between numbers that its sampled inputs' troubles
    show (the original rejects them, or the reference answers otherwise; see
    :mod:`~optbench.datasets.synthesis.relations`), judged again; ``attempt`` itself when
    no relation is adopted or the related inputs do no better."""
    if attempt.options.relations:
        return attempt
    holding = hold(attempt.grammar, given)
    if not holding:  # no relation the given tests all satisfy: nothing worth sampling
        return attempt
    build = compile_build(attempt.grammar, attempt.options, given)
    samples = []
    for text in small_samples(build, RELATION_SAMPLES):
        env = bind(attempt.grammar, text)
        if env is None:
            continue
        run = original.run(text)
        trouble = not run.accepted or _disagrees(reference, text, run.stdout)
        samples.append(Sample(env, trouble))
    found = select(holding, samples)
    if not found:
        return attempt
    related = Attempt(attempt.grammar, replace(attempt.options, relations=tuple(found)))
    try:
        judge(original, compile_build(related.grammar, related.options, given), related, reference)
    except Exception:  # a repair the draw cannot make: keep the inputs as they were
        return attempt
    if related.sampled and related.share >= ACCEPT_SHARE and _doubt(related) <= _doubt(attempt):
        return related
    return attempt
