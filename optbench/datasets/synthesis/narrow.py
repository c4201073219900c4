"""Choosing among inferred grammars with the original as the judge.

Each grammar is tried with ranges widened below the given tests, then with the given
ranges; the first whose sampled inputs the original accepts often enough
(:data:`ACCEPT_SHARE`) is kept. Rejected samples are discarded and counted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from optbench.datasets.synthesis.codegen import LEVELS, Options, grows_by_magnitude, inputs_module
from optbench.datasets.synthesis.draw import Build
from optbench.datasets.synthesis.grammar import Segment
from optbench.datasets.synthesis.original import Original
from optbench.datasets.synthesis.sampling import small_samples

ACCEPT_SHARE = 0.9
SAMPLES = 15
"""Hypothesis draws per try, and as many seeded random ones."""
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


def judge(original: Original, build: Build, attempt: Attempt) -> None:
    """Run the original on sampled inputs; count what it accepts."""
    for text in small_samples(build, SAMPLES):
        run = original.run_twice(text)
        attempt.sampled += 1
        if run.accepted:
            attempt.accepted += 1
            continue
        attempt.reasons[run.reason] += 1
        attempt.example = attempt.example or text
        if attempt.sampled - attempt.accepted >= GIVE_UP_AFTER:
            return


def choose(
    grammars: list[list[Segment]], original: Original, given: list[str]
) -> tuple[Attempt | None, list[Attempt]]:
    """The first (grammar, level) the original accepts; and every attempt made."""
    attempts: list[Attempt] = []
    for grammar in grammars:
        magnitudes = grows_by_magnitude(grammar)
        for level in LEVELS:
            attempt = Attempt(grammar, Options(level, magnitudes))
            try:
                build = compile_build(grammar, attempt.options, given)
                judge(original, build, attempt)
            except Exception as exc:  # a grammar the writer or a draw cannot handle
                attempt.reasons[f"synthesis failed: {type(exc).__name__}: {exc}"[:200]] += 1
            attempts.append(attempt)
            if attempt.sampled and attempt.share >= ACCEPT_SHARE:
                return attempt, attempts
    return None, attempts
