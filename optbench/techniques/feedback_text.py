"""The text a refinement prompt shows about an evaluated attempt, by kind of feedback.

A feedback loop chooses which signals the model sees, so that published methods and their
ablations can be run as they were described:

* ``verdict`` — equivalent or not, with the shrunk counterexample (input, expected, actual);
  the execution feedback of ECCO's exec-refine and of CoCoGen's test step.
* ``error`` — diagnostics of a failing attempt, as a compiler or interpreter reports them:
  a syntax error with its line and a caret, the exception raised on a counterexample, a
  timeout or a sandbox refusal (CoCoGen's compiler feedback).
* ``speedup`` — the measured speedup with its confidence interval (SOAP, PIE's feedback).
* ``hotlines`` — the hottest lines of a line profile of the attempt on the workload (SOAP).
* ``critique`` — the model's own critique of its attempt: Self-Refine's FEEDBACK step. It
  costs a model call, so the technique asks for it (:data:`CRITIQUE`), not this module.

Everything here runs on the trusted side: the attempt is only compiled (never executed)
to locate a syntax error; the profile runs in the sandbox (:mod:`.hotspots`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from optbench.core.problem import Problem
from optbench.core.verdict import VerdictStatus
from optbench.techniques.context import Feedback
from optbench.techniques.hotspots import hotspots as line_hotspots

EXECUTION_KINDS = ("verdict", "error", "speedup", "hotlines")
CRITIQUE = "critique"
FEEDBACK_KINDS = (*EXECUTION_KINDS, CRITIQUE)
DEFAULT_KINDS = EXECUTION_KINDS


def parse_kinds(value: str | Sequence[str]) -> tuple[str, ...]:
    """``"verdict,error"`` or ``["verdict", "error"]`` → the kinds in catalogue order.

    ``ValueError`` names the unknown kinds and the known ones."""
    items = value.split(",") if isinstance(value, str) else list(value)
    kinds = {item.strip() for item in items if item.strip()}
    unknown = sorted(kinds - set(FEEDBACK_KINDS))
    if unknown:
        raise ValueError(f"unknown feedback kind(s) {unknown}; known: {', '.join(FEEDBACK_KINDS)}")
    if not kinds:
        raise ValueError(f"name at least one feedback kind of {', '.join(FEEDBACK_KINDS)}")
    return tuple(k for k in FEEDBACK_KINDS if k in kinds)


def syntax_diagnostic(code: str) -> str | None:
    """A compiler-style report of the first syntax error in ``code``, or ``None``.

    ``compile`` only parses: nothing of the attempt runs in this process."""
    try:
        compile(code, "candidate.py", "exec", dont_inherit=True)
    except SyntaxError as exc:
        line = (exc.text or "").rstrip("\n")
        out = [f'  File "candidate.py", line {exc.lineno}']
        if line.strip():
            stripped = line.lstrip()
            out.append(f"    {stripped}")
            if exc.offset:
                column = max(0, exc.offset - 1 - (len(line) - len(stripped)))
                out.append("    " + " " * column + "^")
        out.append(f"SyntaxError: {exc.msg}")
        return "\n".join(out)
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def error_output(feedback: Feedback) -> str:
    """What a compiler or interpreter would have said about the attempt; empty when the
    attempt ran without an error."""
    verdict = feedback.verdict
    lines: list[str] = []
    if verdict.status is VerdictStatus.ERROR:
        diagnostic = syntax_diagnostic(feedback.candidate.code)
        lines.append(diagnostic or verdict.message or "the attempt failed to run")
    elif verdict.status in (VerdictStatus.TIMEOUT, VerdictStatus.REJECTED):
        lines.append(f"{verdict.status.value}: {verdict.message}".rstrip(": "))
    cex = verdict.counterexample
    if cex is not None and str(cex.actual).startswith("raises"):
        lines.append(f"on input {cex.input}: {cex.actual}")
    if feedback.error:
        lines.append(f"measurement failed: {feedback.error}")
    return "\n".join(lines)


def verdict_text(feedback: Feedback) -> str:
    """The verdict line and the counterexample, without error diagnostics."""
    verdict = feedback.verdict
    head = f"verdict: {verdict.status.value} ({verdict.examples_tried} inputs tried)"
    parts = [head]
    if verdict.status is VerdictStatus.NOT_EQUIVALENT and verdict.message:
        parts.append(verdict.message)
    if verdict.counterexample is not None:
        parts.append(verdict.counterexample.for_prompt())
    return "\n".join(parts)


def speedup_text(feedback: Feedback) -> str:
    if feedback.measurement is None:
        return (
            "speedup: not measured (the attempt is not equivalent)"
            if not (feedback.equivalent)
            else "speedup: not measured"
        )
    t = feedback.measurement.time
    significance = "significant" if t.significant else "not significant"
    return f"speedup: {t.ratio:.2f}x (95% CI {t.ci_low:.2f}-{t.ci_high:.2f}, {significance})"


def with_hotspots(problem: Problem, feedback: Feedback, top: int, trace_s: float) -> Feedback:
    """``feedback`` with the attempt's hottest lines: the evaluator's when it gave them,
    else a line profile taken here, in the sandbox, when the attempt runs at all."""
    profilable = feedback.verdict.status in (VerdictStatus.EQUIVALENT, VerdictStatus.NOT_EQUIVALENT)
    if top <= 0 or feedback.hotspots or not profilable:
        return feedback
    lines = line_hotspots(problem, feedback.candidate.code, top, trace_s=trace_s)
    return dataclasses.replace(feedback, hotspots=lines) if lines else feedback


def execution_feedback(
    problem: Problem,
    feedback: Feedback,
    kinds: Sequence[str] = DEFAULT_KINDS,
    *,
    top: int = 5,
    trace_s: float = 3.0,
) -> str:
    """The sections of ``kinds`` (``critique`` excluded: it is the model's) for one
    evaluated attempt, each under its own heading; empty when no kind applies."""
    sections: list[str] = []
    if "verdict" in kinds:
        sections.append(verdict_text(feedback))
    if "error" in kinds:
        errors = error_output(feedback)
        if errors:
            sections.append("error output:\n" + errors)
    if "speedup" in kinds:
        sections.append(speedup_text(feedback))
    if "hotlines" in kinds and top > 0:
        profiled = with_hotspots(problem, feedback, top, trace_s)
        if profiled.hotspots:
            sections.append("hottest lines:\n" + "\n".join(profiled.hotspots))
    return "\n\n".join(sections)
