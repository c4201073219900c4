"""What a disagreement between the reference and the original on a synthesized input
means.

* ``outside the domain`` — the original itself fails on the input (raises, exits
  non-zero, times out, answers differently twice): not a counterexample at all.
* ``likely outside the constraints`` — the original fails on most inputs next to it
  (one number moved by one), or the input lies beyond the given tests' ranges while the
  reference agrees with the original on inputs within them: the synthesis reached past
  constraints the given tests do not show, and should be narrowed.
* ``reference wrong`` — none of the above: the reference differs on a valid input.
* ``original odd one out`` — every other accepted solution gives the reference's answer:
  the original is wrong on the input, or the input breaks a constraint that only the
  original relies on. Either way it does not count against the reference.

Where the dataset holds other accepted solutions of the same problem (PIE's several
pairs per problem: the same given tests), they vote first, the way CodeContests checks
generated tests: if all give the original's answer, the reference is wrong; if at least
:data:`MIN_ODD_VOTES` of them all give the reference's answer, the original is the odd
one out; if they answer otherwise than the original in any other way, the input breaks a
constraint (accepted solutions need not agree outside them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from optbench.core.problem import Problem, ProblemKind
from optbench.datasets.synthesis.narrow import same_answer
from optbench.datasets.synthesis.original import Original
from optbench.datasets.synthesis.sampling import small_samples

OUTSIDE_DOMAIN = "outside the domain"
OUTSIDE_CONSTRAINTS = "likely outside the constraints"
REFERENCE_WRONG = "reference wrong"
ORIGINAL_ODD = "original odd one out"
MIN_ODD_VOTES = 2
"""Other accepted solutions that must all give the reference's answer before the original
is called the odd one out."""
NEIGHBOURS = 8
MAX_SIBLINGS = 8
"""Other accepted solutions asked about one input."""
WITHIN_SAMPLES = 15
_INT = re.compile(r"-?\d+")


@dataclass
class Classified:
    label: str
    explanation: str

    @property
    def counts(self) -> bool:
        """Whether the disagreement counts against the reference."""
        return self.label == REFERENCE_WRONG


def neighbours(text: str, count: int = NEIGHBOURS) -> list[str]:
    """Inputs one int token away from ``text`` (moved by +1 or -1), spread over its ints."""
    spots = list(_INT.finditer(text))
    found: list[str] = []
    for index in range(min(len(spots), count)):
        spot = spots[(index * len(spots)) // min(len(spots), count)]
        for delta in (1, -1):
            value = int(spot.group()) + delta
            found.append(text[: spot.start()] + str(value) + text[spot.end() :])
    return found[:count]


def beyond_given(problem: Problem, text: str) -> list[str]:
    """How ``text`` goes beyond every given test: more lines or tokens, larger or
    smaller numbers."""
    from optbench.datasets.validate import InputProfile, profile_input

    envelope = InputProfile()
    for case in problem.edge_cases():
        envelope.merge(profile_input(ProblemKind.PROGRAM, case))
    mine = profile_input(ProblemKind.PROGRAM, text)
    found = [
        f"{name} {size} > {envelope.sizes.get(name, 0)}"
        for name, size in mine.sizes.items()
        if name != "chars" and size > envelope.sizes.get(name, 0)
    ]
    if mine.high is not None and envelope.high is not None and mine.high > envelope.high:
        found.append(f"number {mine.high:g} > {envelope.high:g}")
    if mine.low is not None and envelope.low is not None and mine.low < envelope.low:
        found.append(f"number {mine.low:g} < {envelope.low:g}")
    return found


def siblings_of(problem: Problem, problems: list[Problem]) -> list[str]:
    """Sources of the other accepted solutions of ``problem``'s problem in ``problems``:
    the originals and references of problems with the same given tests."""
    mine = _given_inputs(problem)
    if not mine:
        return []
    found: list[str] = []
    for other in problems:
        if other.id == problem.id or other.kind is not problem.kind:
            continue
        if _given_inputs(other) != mine:
            continue
        for source in (other.slow_source, other.fast_source):
            if source is not None and source not in found:
                found.append(source)
    return [s for s in found if s not in (problem.slow_source, problem.fast_source)]


def _given_inputs(problem: Problem) -> tuple[str, ...]:
    return tuple(sorted(test.stdin for test in problem.tests if test.stdin))


def _vote(
    text: str, answer: str, siblings: list[str], reference_answer: str | None = None
) -> Classified | None:
    """What the other accepted solutions say about ``text`` (None: none accepts it)."""
    agreeing = differing = with_reference = 0
    for source in siblings[:MAX_SIBLINGS]:
        with Original(source, name="sibling") as sibling:
            run = sibling.run(text)
        if not run.accepted:
            continue
        if same_answer(run.stdout, answer):
            agreeing += 1
        else:
            differing += 1
            if reference_answer is not None and same_answer(run.stdout, reference_answer):
                with_reference += 1
    if not agreeing and differing >= MIN_ODD_VOTES and with_reference == differing:
        return Classified(
            ORIGINAL_ODD,
            f"all {differing} other accepted solutions of the problem give the reference's "
            "answer: the original is wrong here, or the input breaks a constraint only the "
            "original relies on",
        )
    if differing:
        return Classified(
            OUTSIDE_CONSTRAINTS,
            f"{differing} of {agreeing + differing} other accepted solutions of the problem "
            "answer otherwise than the original too",
        )
    if agreeing:
        return Classified(
            REFERENCE_WRONG,
            f"all {agreeing} other accepted solutions of the problem give the original's answer",
        )
    return None


def classify(problem: Problem, text: str, siblings: list[str] | None = None) -> Classified:
    """Classify a disagreement of ``problem``'s reference with its original on ``text``
    (all run sandboxed); ``siblings`` are other accepted solutions (:func:`siblings_of`)."""
    assert problem.fast_source is not None
    with Original(problem.slow_source) as original:
        run = original.run_twice(text)
        if not run.accepted:
            return Classified(OUTSIDE_DOMAIN, f"the original itself fails on it ({run.reason})")
        reference_answer = None
        if siblings:
            with Original(problem.fast_source, name="reference") as reference:
                answered = reference.run(text)
            reference_answer = answered.stdout if answered.accepted else None
        voted = _vote(text, run.stdout, siblings or [], reference_answer)
        if voted is not None:
            return voted
        near = neighbours(text)
        failing = [n for n in near if not original.run(n).accepted]
        if near and len(failing) * 2 >= len(near):
            return Classified(
                OUTSIDE_CONSTRAINTS,
                f"the original fails on {len(failing)} of {len(near)} neighbouring inputs",
            )
        beyond = beyond_given(problem, text)
        if beyond and _agrees_within_given(problem, original):
            return Classified(
                OUTSIDE_CONSTRAINTS,
                "only beyond the given tests' ranges (" + ", ".join(beyond[:3]) + "); the "
                f"reference agrees on {WITHIN_SAMPLES * 2} inputs within them",
            )
    return Classified(REFERENCE_WRONG, "the reference differs from the original on a valid input")


def _agrees_within_given(problem: Problem, original: Original) -> bool:
    """The reference gives the original's answers on inputs at the given tests' scale."""
    namespace: dict[str, object] = {}
    exec(compile(problem.inputs_source or "", problem.inputs_filename, "exec"), namespace)
    build = namespace.get("build")
    if not callable(build):
        return False
    assert problem.fast_source is not None
    with Original(problem.fast_source, name="reference") as reference:
        for text in small_samples(build, WITHIN_SAMPLES):  # type: ignore[arg-type]
            expected = original.run(text)
            if not expected.accepted:
                continue
            actual = reference.run(text)
            if not actual.accepted or actual.stdout.split() != expected.stdout.split():
                return False
    return True
