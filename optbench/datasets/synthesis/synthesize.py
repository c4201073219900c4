"""From a program problem's given tests and its original to an ``inputs.py``: infer
grammars, let the original choose one, grow the workload, write the module — or say
why the problem stays on its given tests."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from optbench.datasets.synthesis.codegen import inputs_module
from optbench.datasets.synthesis.grammar import describe
from optbench.datasets.synthesis.infer import infer_grammars
from optbench.datasets.synthesis.narrow import (
    ACCEPT_SHARE,
    Attempt,
    choose,
    compile_build,
    relate,
)
from optbench.datasets.synthesis.original import Original
from optbench.datasets.synthesis.workload import choose_scale

SYNTHESIZED_NOTE = "inputs synthesized from {k} given test(s)"
GIVEN_ONLY_NOTE = "given tests only: {why}"
"""How notes in ``problem.toml`` begin (``datasets show`` and the bench read them)."""


@dataclass
class Synthesis:
    inputs: str | None
    """The ``inputs.py`` source; None: the problem stays on its given tests."""
    notes: list[str] = field(default_factory=list)
    sampled: int = 0
    discarded: int = 0
    workload_scale: float = 1.0
    workload_ms: float = 0.0
    reason: str = ""
    """Why there is no ``inputs.py``, or how the workload growth ended."""

    @property
    def synthesized(self) -> bool:
        return self.inputs is not None


def synthesize(
    given: list[str],
    original_source: str,
    *,
    name: str = "original",
    reference_source: str | None = None,
) -> Synthesis:
    """Synthesize inputs for a stdin→stdout problem from its given inputs; a
    ``reference_source`` (another accepted solution) helps narrow the ranges (see
    :mod:`~optbench.datasets.synthesis.narrow`)."""
    if not given:
        return given_only("no given tests to infer from")
    grammars = infer_grammars(given)
    if not grammars:
        return given_only(f"no input structure fits all {len(given)} given test(s)")
    with Original(original_source, name=name) as original:
        for text in given:
            run = original.run(text)
            if not run.accepted:
                return given_only(f"the original fails on a given test ({run.reason})")
        with contextlib.ExitStack() as stack:
            reference = (
                stack.enter_context(Original(reference_source, name=f"{name}-reference"))
                if reference_source is not None
                else None
            )
            chosen, attempts = choose(grammars, original, given, reference)
            if chosen is not None:
                chosen = relate(chosen, original, given, reference)
        if chosen is None:
            return _rejected(attempts)
        build = compile_build(chosen.grammar, chosen.options, given)
        growth = choose_scale(build, original, magnitudes=chosen.options.magnitudes)
    discarded = chosen.sampled - chosen.accepted
    provenance = [
        SYNTHESIZED_NOTE.format(k=len(given))
        + f" ({chosen.options.level} ranges, "
        + ("numbers" if chosen.options.magnitudes else "counts and lengths")
        + " grow)",
        f"the original accepted {chosen.accepted} of {chosen.sampled} sampled inputs"
        + (f"; {discarded} discarded ({_reasons(chosen)})" if discarded else ""),
        *_agreement(chosen, attempts, reference_source is not None),
        *_relations(chosen),
        f"workload at scale {growth.scale:g}: the original takes {growth.elapsed * 1000:.0f} ms "
        f"({growth.why})",
    ]
    source = inputs_module(
        chosen.grammar,
        chosen.options,
        given=given,
        workload_scale=round(growth.scale, 3),
        provenance=provenance,
    )
    return Synthesis(
        source,
        provenance,
        sampled=chosen.sampled,
        discarded=discarded,
        workload_scale=round(growth.scale, 3),
        workload_ms=growth.elapsed * 1000,
        reason=growth.why,
    )


def _relations(chosen: Attempt) -> list[str]:
    if not chosen.options.relations:
        return []
    return [
        "relations between numbers that every given test satisfies, adopted because the "
        "sampled inputs that break them are where the original rejects or the reference "
        "disagrees: " + ", ".join(r.code() for r in chosen.options.relations)
    ]


def given_only(why: str) -> Synthesis:
    """No ``inputs.py``: the problem stays on its given tests, its notes saying why."""
    return Synthesis(None, [GIVEN_ONLY_NOTE.format(why=why)], reason=why)


def _rejected(attempts: list[Attempt]) -> Synthesis:
    best = max(attempts, key=lambda a: a.share)
    why = (
        f"the original rejects most synthesized inputs (best of {len(attempts)} tries: "
        f"{best.accepted} of {best.sampled} accepted, want {ACCEPT_SHARE:.0%}; {_reasons(best)}"
        f"; structure {' / '.join(describe(best.grammar))})"
    )
    result = given_only(why)
    result.sampled = sum(a.sampled for a in attempts)
    result.discarded = sum(a.sampled - a.accepted for a in attempts)
    return result


def _agreement(chosen: Attempt, attempts: list[Attempt], judged: bool) -> list[str]:
    """Why levels of the chosen grammar that passed were passed over, and what the
    reference said about the chosen one."""
    notes = []
    for attempt in attempts:
        if attempt.grammar is not chosen.grammar or attempt is chosen:
            continue
        if attempt.share < ACCEPT_SHARE:
            continue
        why = []
        if attempt.disagreed:
            why.append(
                f"the reference disagreed with the original on {attempt.disagreed} of "
                f"{attempt.accepted} accepted inputs"
            )
        if attempt.accepted < attempt.sampled:
            why.append(
                f"the original rejected {attempt.sampled - attempt.accepted} of "
                f"{attempt.sampled} sampled inputs"
            )
        what = f"{attempt.options.level} ranges"
        if attempt.options.level == chosen.options.level and chosen.options.relations:
            what += " without relations between numbers"
        notes.append(f"{what} passed over: " + "; ".join(why))
    if judged:
        notes.append(
            f"the reference agreed with the original on {chosen.accepted - chosen.disagreed} "
            f"of {chosen.accepted} accepted inputs"
        )
    return notes


def _reasons(attempt: Attempt) -> str:
    return ", ".join(f"{count} {reason}" for reason, count in attempt.reasons.most_common(3))
