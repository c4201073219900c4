"""``feedback``: iterative refinement with execution feedback.

Self-Refine (Madaan et al., 2023) with an execution signal instead of self-critique, as in
ECCO's exec-refine (Waghjale et al., 2024), SOAP's profile feedback (Huang et al., 2024) and
CoCoGen (Bi et al., 2024): round 0 asks for a faster version; each later round shows the
previous attempt with its evaluation — the verdict with the shrunk counterexample (expected vs
actual) or the error, the measured speedup, and the hottest lines of a line-level profile — and
asks for a fix or a further speedup. Every round's candidate is evaluated and yielded, linked to
the one it refines (``parent_id``, ``round``); the chain descends from one draw, so every round
is sample 0. The loop stops when a round does not improve the best fitness so far (equivalent
first, then speedup). Arguments:

* ``rounds`` — refinement rounds after round 0; ``None`` uses ``ctx.budget.rounds``.
* ``hotspots`` — lines of the line profile shown (0 turns profiling off). The evaluator's hot
  spots are used when it provides them; otherwise the candidate is profiled here, in the sandbox.
* ``trace_s`` — how long the line profiler traces the workload.
* ``temperature``, ``max_new_tokens`` — sampling.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.core.verdict import VerdictStatus
from optbench.techniques import Context, Feedback, technique
from optbench.techniques.hotspots import hotspots as line_hotspots
from optbench.techniques.prompting import describe_problem, render
from optbench.techniques.registry import Technique
from optimizers._prompting import ask


def feedback_text(problem: Problem, feedback: Feedback, top: int, trace_s: float) -> str:
    """``feedback.for_prompt()``, with a line profile added when the evaluator gave none."""
    profilable = feedback.verdict.status in (VerdictStatus.EQUIVALENT, VerdictStatus.NOT_EQUIVALENT)
    if top > 0 and not feedback.hotspots and profilable:
        lines = line_hotspots(problem, feedback.candidate.code, top, trace_s=trace_s)
        if lines:
            feedback = dataclasses.replace(feedback, hotspots=lines)
    return feedback.for_prompt()


@technique(
    "feedback",
    family="model-based: feedback",
    summary="Refine over rounds with execution feedback: counterexample, speedup, hottest lines.",
    citation="Madaan et al. 2023 (Self-Refine); Waghjale et al. 2024 (ECCO); Huang et al. 2024 (SOAP)",
)
class ExecutionFeedback(Technique):
    def __init__(
        self,
        rounds: int | None = None,
        hotspots: int = 5,
        trace_s: float = 3.0,
        temperature: float = 0.0,
        max_new_tokens: int = 2048,
    ) -> None:
        if rounds is not None and rounds < 0:
            raise ValueError("rounds must be >= 0")
        self.rounds = rounds
        self.hotspots = hotspots
        self.trace_s = trace_s
        self.temperature = temperature
        self.max_new_tokens = max_new_tokens

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        rounds = self.rounds if self.rounds is not None else ctx.budget.rounds
        description = describe_problem(problem)
        prompt = render("zero_shot", problem=description)
        parent: Candidate | None = None
        best: tuple[int, float] | None = None
        for round_ in range(rounds + 1):
            made = ask(
                ctx,
                problem,
                prompt,
                temperature=self.temperature,
                max_new_tokens=self.max_new_tokens,
                round=round_,
                parent_id=parent.id if parent is not None else None,
                sample=parent.sample if parent is not None else None,
            )
            if not made:
                ctx.log(f"feedback: round {round_} produced no code; stopping")
                return
            candidate = made[0]
            feedback = ctx.evaluate(candidate)
            yield candidate
            if best is not None and feedback.fitness <= best:
                ctx.log(f"feedback: round {round_} did not improve {best}; stopping")
                return
            best, parent = feedback.fitness, candidate
            if round_ == rounds:
                return
            advice = "feedback_correct" if feedback.equivalent else "feedback_incorrect"
            prompt = render(
                "feedback",
                problem=description,
                previous=candidate.code.strip("\n"),
                feedback=feedback_text(problem, feedback, self.hotspots, self.trace_s),
                advice=render(advice),
            )
