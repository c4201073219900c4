"""``feedback``: iterative refinement — Self-Refine with execution feedback, and CoCoGen's
retrieval on repair rounds.

Self-Refine (Madaan et al., NeurIPS 2023) alternates FEEDBACK and REFINE with one model:
the model drafts, reviews its draft, and rewrites it from the review, with the earlier drafts
and reviews in the prompt, until the review says nothing needs to change or the iterations
run out. CoCoGen (Bi et al., ACL Findings 2024) refines with a compiler's diagnostics instead
and, on each repair round, retrieves context related to what failed. This technique runs the
loop with any mix of these signals (``kinds``):

* ``verdict`` — equivalent or not, with the shrunk counterexample (input, expected, actual);
* ``error`` — compiler/interpreter-style diagnostics: syntax error with line and caret, the
  exception raised on a counterexample, timeouts and sandbox refusals;
* ``speedup`` — the measured speedup with its confidence interval;
* ``hotlines`` — the hottest lines of a line profile on the workload (SOAP, Huang et al. 2024);
* ``critique`` — Self-Refine's FEEDBACK step: the model reviews its attempt (shown the other
  kinds' text, if any) before it is asked to refine it; ``kinds="critique"`` alone is
  Self-Refine as published (no execution signal in the prompt).

Round 0 asks for a faster version (the ``zero_shot`` prompt); every round's candidate is
evaluated and yielded, linked to the attempt it refines (``parent_id``, ``round``; every
round is sample 0). A wrong attempt gets repair rounds until one is equivalent or the rounds
(or the token budget) end; once an attempt is equivalent, the loop goes on while each round
improves the best fitness (equivalent first, then speedup) and stops at the first that does
not, or when the model's review answers the stop phrase. Arguments:

* ``rounds`` — refinement rounds after round 0; ``None`` uses ``ctx.budget.rounds``.
* ``kinds`` — the feedback shown, comma-separated (default ``verdict,error,speedup,hotlines``).
* ``history`` — earlier attempts shown with their feedback (1: the last only; ``None``: all,
  as Self-Refine).
* ``retrieve`` — CoCoGen-style: on a repair round (the last attempt is wrong), show the
  ``retrieve`` pairs of the training pool (``ctx.exemplars``, clear of every evaluated
  problem) most similar to the failing attempt; 0 turns retrieval off.
* ``retriever`` — ``auto`` (MiniLM embeddings when installed, else BM25), ``bm25`` or
  ``embedding``.
* ``hotspots`` — lines of the line profile shown (0 turns profiling off). The evaluator's hot
  spots are used when it provides them; otherwise the attempt is profiled here, in the sandbox.
* ``trace_s`` — how long the line profiler traces the workload.
* ``temperature``, ``max_new_tokens`` — sampling (the review uses the same).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, Feedback, technique
from optbench.techniques.feedback_text import (
    CRITIQUE,
    DEFAULT_KINDS,
    EXECUTION_KINDS,
    execution_feedback,
    parse_kinds,
)
from optbench.techniques.prompting import chat, describe_problem, render, render_examples
from optbench.techniques.registry import Technique
from optbench.techniques.retrieval import pool_retriever
from optimizers._prompting import ask, generate, sampling

STOP = "NO FURTHER CHANGES"
"""The answer by which the model's review ends the loop (Self-Refine's stop indicator)."""
RETRIEVERS = ("auto", "bm25", "embedding")


@dataclass
class Attempt:
    candidate: Candidate
    feedback: Feedback
    text: str
    """The feedback shown for it: the execution sections and the model's review."""
    review_calls: list[int] = field(default_factory=list)
    """The model call of the review, charged to the refinement it prompts."""


def critique(
    ctx: Context,
    problem: Problem,
    description: str,
    attempt: Candidate,
    evaluation: str,
    temperature: float,
    max_new_tokens: int,
) -> tuple[str, int | None]:
    """Self-Refine's FEEDBACK step: the model's review of ``attempt`` (empty if the call
    failed) and the id of the call."""
    prompt = render(
        "critique",
        problem=description,
        code=attempt.code.strip("\n"),
        evaluation=f"\nIts evaluation:\n{evaluation}\n" if evaluation else "",
        stop=STOP,
    )
    (completion,) = generate(ctx, chat(prompt), sampling(ctx, temperature, max_new_tokens))
    if not completion.ok:
        ctx.log(f"feedback: the review call failed: {completion.error}")
        return "", completion.call_id
    return completion.text.strip(), completion.call_id


@technique(
    "feedback",
    family="model-based: feedback",
    summary="Refine until correct, then while faster: verdict, error output, speedup, hot "
    "lines and/or the model's own critique; CoCoGen retrieval on repair rounds.",
    paper="Madaan et al., 'Self-Refine: Iterative Refinement with Self-Feedback', NeurIPS "
    "2023; Bi et al., 'Iterative Refinement of Project-Level Code Context for Precise Code "
    "Generation with Compiler Feedback' (CoCoGen), Findings of ACL 2024",
    citation="Waghjale et al. 2024 (ECCO exec-refine); Huang et al. 2024 (SOAP)",
    differences=(
        "Default feedback is execution feedback (verdict, error output, speedup, hot lines) "
        "rather than Self-Refine's self-critique; kinds='critique' gives the published "
        "Self-Refine loop, kinds='critique,verdict,...' both.",
        "Self-Refine shows every earlier draft and review; history=1 (default) shows only the "
        "last attempt to bound prompt length; history=None shows all.",
        "Besides the model's stop answer, the loop stops at the first round that does not "
        "improve an equivalent attempt, and never stops on a wrong one before the rounds end.",
        "CoCoGen retrieves project code (APIs, definitions) matching compiler errors; here the "
        "retrieved context is the slow→fast pairs of the training pool most similar to the "
        "failing attempt (programs have no project context), on repair rounds only.",
        "CoCoGen's diagnostics come from a compiler; here from Python's parser (syntax errors) "
        "and the sandboxed differential test (exceptions, timeouts, refusals).",
    ),
)
class ExecutionFeedback(Technique):
    def __init__(
        self,
        rounds: int | None = None,
        kinds: str = ",".join(DEFAULT_KINDS),
        history: int | None = 1,
        retrieve: int = 0,
        retriever: str = "auto",
        hotspots: int = 5,
        trace_s: float = 3.0,
        temperature: float = 0.0,
        max_new_tokens: int = 2048,
    ) -> None:
        if rounds is not None and rounds < 0:
            raise ValueError("rounds must be >= 0")
        if history is not None and history < 1:
            raise ValueError("history must be >= 1 (or None for every attempt)")
        if retrieve < 0:
            raise ValueError("retrieve must be >= 0")
        if retriever not in RETRIEVERS:
            raise ValueError(f"retriever must be one of {RETRIEVERS}, got {retriever!r}")
        self.rounds = rounds
        self.kinds = parse_kinds(kinds)
        self.history = history
        self.retrieve = retrieve
        self.retriever = retriever
        self.hotspots = hotspots
        self.trace_s = trace_s
        self.temperature = temperature
        self.max_new_tokens = max_new_tokens
        # shows training-pool pairs only when it retrieves: the run then needs a pool
        self.uses_exemplars = retrieve > 0  # type: ignore[misc]

    def related(self, problem: Problem, attempt: Candidate, ctx: Context) -> str:
        """CoCoGen's retrieval step: pool pairs most similar to the failing attempt."""
        if self.retrieve <= 0 or not ctx.exemplars:
            return ""
        retriever = pool_retriever(self.retriever, ctx.exemplars)
        ranked = retriever.ranked(problem, self.retrieve, query=attempt.code)
        if not ranked:
            return ""
        pairs = [(pair.slow, pair.fast) for pair, _ in ranked]
        examples = render_examples(pairs, scores=[score for _, score in ranked])
        text = render(
            "feedback_context",
            k=len(pairs),
            similarity=retriever.similarity,
            examples=examples,
        )
        return text + "\n"

    def evaluate(
        self, problem: Problem, description: str, candidate: Candidate, ctx: Context
    ) -> tuple[Attempt, bool]:
        """Evaluate ``candidate`` and compose its feedback; True when the review says stop."""
        feedback = ctx.evaluate(candidate)
        execution = [k for k in self.kinds if k in EXECUTION_KINDS]
        text = execution_feedback(
            problem, feedback, execution, top=self.hotspots, trace_s=self.trace_s
        )
        stop = False
        calls: list[int] = []
        if CRITIQUE in self.kinds:
            review, call_id = critique(
                ctx, problem, description, candidate, text, self.temperature, self.max_new_tokens
            )
            calls = [call_id] if call_id is not None else []
            if review:
                text = (text + "\n\n" if text else "") + "Review of this attempt:\n" + review
                stop = STOP.lower() in review.lower()
        return Attempt(candidate, feedback, text or "(no feedback)", calls), stop

    def refine_prompt(
        self, problem: Problem, description: str, attempts: Sequence[Attempt], ctx: Context
    ) -> str:
        shown = attempts if self.history is None else attempts[-self.history :]
        first = len(attempts) - len(shown) + 1
        blocks = "\n".join(
            render(
                "feedback_attempt",
                index=first + i,
                code=a.candidate.code.strip("\n"),
                feedback=a.text,
            )
            for i, a in enumerate(shown)
        )
        last = attempts[-1]
        if "verdict" in self.kinds:
            advice = render(
                "feedback_correct" if last.feedback.equivalent else "feedback_incorrect"
            )
        else:
            advice = render("feedback_neutral")
        repair = not last.feedback.equivalent
        context = self.related(problem, last.candidate, ctx) if repair else ""
        return render(
            "feedback", problem=description, attempts=blocks, context=context, advice=advice
        )

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        rounds = self.rounds if self.rounds is not None else ctx.budget.rounds
        description = describe_problem(problem)
        prompt = render("zero_shot", problem=description)
        attempts: list[Attempt] = []
        best: tuple[int, float] | None = None
        for round_ in range(rounds + 1):
            parent = attempts[-1].candidate if attempts else None
            made = ask(
                ctx,
                problem,
                prompt,
                temperature=self.temperature,
                max_new_tokens=self.max_new_tokens,
                round=round_,
                parent_id=parent.id if parent is not None else None,
                sample=parent.sample if parent is not None else None,
                extra={"kinds": list(self.kinds)},
            )
            if not made:
                ctx.log(f"feedback: round {round_} produced no code; stopping")
                return
            candidate = made[0]
            if attempts:
                # the review that prompted this refinement is part of its cost; a review
                # that ends the loop is charged to the chain by the run
                candidate.call_ids = [*attempts[-1].review_calls, *candidate.call_ids]
            attempt, stop = self.evaluate(problem, description, candidate, ctx)
            yield candidate
            fitness = attempt.feedback.fitness
            if best is not None and best[0] == 1 and fitness <= best:
                ctx.log(f"feedback: round {round_} did not improve {best}; stopping")
                return
            best = fitness if best is None else max(best, fitness)
            attempts.append(attempt)
            wrong_shown = not attempt.feedback.equivalent and "verdict" in self.kinds
            if stop and not wrong_shown:
                ctx.log(f"feedback: the review of round {round_} asks for no changes; stopping")
                return
            if round_ == rounds:
                return
            prompt = self.refine_prompt(problem, description, attempts, ctx)
