"""What the model techniques share: model calls and turning replies into candidates; the
prompt templates and the problem's rendering come from :mod:`optbench.techniques.prompting`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.models import Completion, Message, SamplingParams, extract_code, extract_reasoning
from optbench.techniques import Context
from optbench.techniques.prompting import chat, describe_problem, render
from optbench.techniques.registry import Technique


def sampling(
    ctx: Context, temperature: float, max_new_tokens: int, top_p: float = 1.0
) -> SamplingParams:
    """Sampling parameters; sampled calls get a seed drawn from the context's RNG."""
    seed = ctx.rng.randrange(2**31) if temperature > 0 else None
    return SamplingParams(
        temperature=temperature, top_p=top_p, max_new_tokens=max_new_tokens, seed=seed
    )


def generate(
    ctx: Context, messages: list[Message], params: SamplingParams, n: int = 1
) -> list[Completion]:
    """``n`` completions of one request. The model's ``BudgetExceeded`` propagates."""
    if ctx.model is None:
        raise ValueError(f"technique {ctx.technique!r} needs a model, and the context has none")
    return list(ctx.model.generate(messages, params, n))


def to_candidate(
    ctx: Context,
    problem: Problem,
    completion: Completion,
    *,
    keep_reasoning: bool = False,
    **provenance: Any,
) -> Candidate | None:
    """The candidate in a reply, carrying the reply's call (``call_ids``), or ``None``: a
    reply without code or a failed call is reported as a ``no_code``/``model_error``
    outcome with the same provenance and call."""
    where = ", ".join(f"{k}={v}" for k, v in provenance.items() if k != "extra")
    if "extra" in provenance:
        provenance = {**provenance, "extra": dict(provenance["extra"])}
    call_ids = [completion.call_id] if completion.call_id is not None else []
    if not completion.ok:
        message = f"model_error: {completion.error} ({where})"
        ctx.report_outcome(message, call_ids=call_ids, **provenance)
        return None
    code = extract_code(completion.text, problem.entry_point)
    if code is None or not code.strip():
        message = f"no_code: the reply has no code ({where}): {completion.text[:120]!r}"
        ctx.report_outcome(message, call_ids=call_ids, **provenance)
        return None
    candidate = ctx.candidate(code, call_ids=call_ids, **provenance)
    if keep_reasoning:
        reasoning = extract_reasoning(completion.text, problem.entry_point)
        candidate.reasoning = reasoning or None
    return candidate


def ask(
    ctx: Context,
    problem: Problem,
    user: str,
    *,
    temperature: float,
    max_new_tokens: int,
    n: int = 1,
    keep_reasoning: bool = False,
    sample: int | None = None,
    **provenance: Any,
) -> list[Candidate]:
    """One prompt, ``n`` replies, the candidates among them.

    ``sample`` numbers the candidates (see :class:`~optbench.core.candidate.Candidate`):
    ``None`` when the replies are the independent draws ``0 .. n-1`` of an initial prompt;
    the sample a refinement descends from otherwise (every reply then carries it).
    """
    params = sampling(ctx, temperature, max_new_tokens)
    out: list[Candidate] = []
    for i, completion in enumerate(generate(ctx, chat(user), params, n)):
        candidate = to_candidate(
            ctx,
            problem,
            completion,
            keep_reasoning=keep_reasoning,
            sample=i if sample is None else sample,
            **provenance,
        )
        if candidate is not None:
            out.append(candidate)
    return out


class SinglePromptTechnique(Technique):
    """A technique that sends one rendered template and keeps the code of each reply."""

    template_name: ClassVar[str] = ""
    keep_reasoning: ClassVar[bool] = False

    def __init__(
        self, temperature: float = 0.0, samples: int = 1, max_new_tokens: int = 2048
    ) -> None:
        if samples < 1:
            raise ValueError("samples must be >= 1")
        self.temperature = temperature
        self.samples = samples
        self.max_new_tokens = max_new_tokens

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        prompt = render(self.template_name, problem=describe_problem(problem))
        yield from ask(
            ctx,
            problem,
            prompt,
            temperature=self.temperature,
            max_new_tokens=self.max_new_tokens,
            n=self.samples,
            keep_reasoning=self.keep_reasoning,
        )
