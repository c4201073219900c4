"""``profile_guided``: agentic, profile-guided optimisation — profile first, then propose.

The survey's agentic family (Gong et al., 2025): the model acts on the environment before it
writes code. Here its one tool is a line profiler, as in EffiLearner/SOAP (Huang et al.,
NeurIPS 2024), which feeds line_profiler's execution-overhead profile back to the model. The
exchange is a tool call in the ReAct manner (Yao et al., 2023):

1. the model sees the problem and is told it may ask for a line profile of the *original* on
   its benchmark workload by replying ``PROFILE`` (or answer with code straight away);
2. on request, the original is profiled in the sandbox (:mod:`optbench.techniques.hotspots`,
   the same profiler ``feedback`` uses) and the hottest lines are returned in the same
   conversation; the model then proposes its code (round 0);
3. with ``rounds`` > 0, each proposal is evaluated and, in the same conversation, the model
   gets its verdict, error output, speedup and the hot lines of *its* code on the workload,
   and proposes again; the loop ends like ``feedback``'s (a wrong proposal is repaired until
   correct or the rounds end; an equivalent one is refined while it improves).

With ``tool_call=False`` the profile is in the first prompt (profile-guided prompting, one
call). A reply that is neither a request nor code counts as a request. Candidates record
``extra["profile"]``: ``requested``, ``declined`` (the model answered with code) or ``given``.
Compare with ``feedback``, which profiles a proposal only after it is made. Arguments:

* ``tool_call`` — the model asks for the profile (agentic) or gets it up front.
* ``hotspots`` — lines of the profile shown; ``trace_s`` — how long the profiler traces.
* ``rounds`` — evaluate-and-revise turns after the first proposal (0: none).
* ``temperature``, ``max_new_tokens`` — sampling.
"""

from __future__ import annotations

from collections.abc import Iterator

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.models import Completion, Message, extract_code
from optbench.techniques import Context, technique
from optbench.techniques.feedback_text import EXECUTION_KINDS, execution_feedback
from optbench.techniques.hotspots import hotspots
from optbench.techniques.prompting import chat, describe_problem, render
from optbench.techniques.registry import Technique
from optimizers._prompting import generate, sampling, to_candidate

REQUEST = "PROFILE"


def asks_for_profile(reply: str, entry_point: str | None) -> bool:
    """The reply requests the profile: it has no code (``PROFILE``, or anything else that is
    not code, which the tool call then answers anyway)."""
    code = extract_code(reply, entry_point)
    return code is None or not code.strip()


def original_profile(problem: Problem, top: int, trace_s: float) -> str:
    lines = hotspots(problem, problem.slow_source, top, trace_s=trace_s)
    return "\n".join(lines) if lines else "(the profiler recorded no line of the original)"


@technique(
    "profile_guided",
    family="agentic",
    summary="The model asks for a line profile of the original on the workload (a tool "
    "call), gets it, then proposes; optional evaluate-and-revise turns.",
    paper="Huang et al., 'EffiLearner: Enhancing Efficiency of Generated Code via "
    "Self-Optimization' (SOAP), NeurIPS 2024: execution-overhead profiles for the model",
    citation="Yao et al. 2023 (ReAct tool use); Gong et al. 2025 (survey: agentic optimisation)",
    differences=(
        "EffiLearner profiles the model's own first draft; here the original is profiled "
        "before any proposal, on the problem's benchmark workload, and the model decides "
        "whether to call the profiler (tool_call=True) or gets it up front (tool_call=False).",
        "Time profile only (share of time and hits per line, from a sandboxed tracer); "
        "EffiLearner also shows memory_profiler's per-line memory.",
        "Later turns (rounds > 0) stay in one conversation and show the verdict and error "
        "output besides the proposal's profile; EffiLearner shows the profile only.",
    ),
)
class ProfileGuided(Technique):
    def __init__(
        self,
        tool_call: bool = True,
        hotspots: int = 8,
        trace_s: float = 3.0,
        rounds: int = 0,
        temperature: float = 0.0,
        max_new_tokens: int = 2048,
    ) -> None:
        if hotspots < 1 or rounds < 0:
            raise ValueError("hotspots must be >= 1 and rounds >= 0")
        self.tool_call = tool_call
        self.hotspots = hotspots
        self.trace_s = trace_s
        self.rounds = rounds
        self.temperature = temperature
        self.max_new_tokens = max_new_tokens

    def reply(self, ctx: Context, messages: list[Message]) -> Completion:
        params = sampling(ctx, self.temperature, self.max_new_tokens)
        (completion,) = generate(ctx, messages, params)
        return completion

    def first_proposal(
        self, problem: Problem, ctx: Context, description: str
    ) -> tuple[list[Message], Completion, list[int], str]:
        """The conversation so far, the reply holding the first proposal, the ids of the
        calls before it and how the profile was obtained."""
        if not self.tool_call:
            profile = original_profile(problem, self.hotspots, self.trace_s)
            messages = chat(render("profile_given", problem=description, profile=profile))
            return messages, self.reply(ctx, messages), [], "given"
        messages = chat(render("profile_ask", problem=description, request=REQUEST))
        first = self.reply(ctx, messages)
        if first.ok and not asks_for_profile(first.text, problem.entry_point):
            return messages, first, [], "declined"
        if not first.ok:
            return messages, first, [], "requested"
        profile = original_profile(problem, self.hotspots, self.trace_s)
        messages = [
            *messages,
            Message("assistant", first.text),
            Message("user", render("profile_result", profile=profile)),
        ]
        earlier = [first.call_id] if first.call_id is not None else []
        return messages, self.reply(ctx, messages), earlier, "requested"

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        description = describe_problem(problem)
        messages, completion, earlier, how = self.first_proposal(problem, ctx, description)
        best: tuple[int, float] | None = None
        parent: Candidate | None = None
        for round_ in range(self.rounds + 1):
            candidate = to_candidate(
                ctx,
                problem,
                completion,
                sample=0,
                round=round_,
                parent_id=parent.id if parent is not None else None,
                extra={"profile": how},
            )
            if candidate is None:
                ctx.log(f"profile_guided: round {round_} produced no code; stopping")
                return
            candidate.call_ids = [*earlier, *candidate.call_ids]
            earlier = []
            if self.rounds == 0:
                yield candidate  # evaluated by the run, like a single-prompt technique
                return
            feedback = ctx.evaluate(candidate)
            yield candidate
            if best is not None and best[0] == 1 and feedback.fitness <= best:
                ctx.log(f"profile_guided: round {round_} did not improve {best}; stopping")
                return
            best = feedback.fitness if best is None else max(best, feedback.fitness)
            parent = candidate
            if round_ == self.rounds:
                return
            text = execution_feedback(
                problem, feedback, EXECUTION_KINDS, top=self.hotspots, trace_s=self.trace_s
            )
            advice = "feedback_correct" if feedback.equivalent else "feedback_incorrect"
            messages = [
                *messages,
                Message("assistant", completion.text),
                Message("user", render("profile_next", feedback=text, advice=render(advice))),
            ]
            completion = self.reply(ctx, messages)
