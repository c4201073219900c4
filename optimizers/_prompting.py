"""What the model techniques share: prompt templates, the problem's rendering, model calls and
turning replies into candidates.

Prompts are the text files in ``optimizers/prompts/`` with ``${name}`` placeholders
(:class:`string.Template`), so code inserted into them needs no escaping.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from pathlib import Path
from string import Template
from typing import Any, ClassVar

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem, ProblemKind
from optbench.models import Completion, Message, SamplingParams, extract_code, extract_reasoning
from optbench.techniques import Context
from optbench.techniques.registry import Technique

PROMPTS = Path(__file__).resolve().parent / "prompts"


@functools.cache
def template(name: str) -> Template:
    """The prompt template ``optimizers/prompts/<name>.txt``."""
    path = PROMPTS / f"{name}.txt"
    if not path.is_file():
        known = sorted(p.stem for p in PROMPTS.glob("*.txt"))
        raise FileNotFoundError(f"no prompt template {path}; known: {', '.join(known)}")
    return Template(path.read_text(encoding="utf-8"))


def render(name: str, **values: Any) -> str:
    """Fill template ``name``; a placeholder without a value is an error."""
    try:
        return template(name).substitute(values).strip() + "\n"
    except KeyError as exc:
        raise KeyError(f"prompt {name}.txt needs a value for {exc.args[0]!r}") from None


def describe_problem(problem: Problem, code: str | None = None) -> str:
    """The problem as every prompt shows it: statement, code, contract, comparison policy."""
    statement = ""
    if problem.statement and problem.statement.strip():
        statement = f"Task: {problem.statement.strip()}\n\n"
    if problem.kind is ProblemKind.FUNCTION:
        contract = render("contract_function", entry_point=problem.entry_point)
    else:
        contract = render("contract_program")
    policy = problem.compare
    policy_text = render(f"policy_{policy.mode}", rel_tol=policy.rel_tol, abs_tol=policy.abs_tol)
    return render(
        "problem",
        statement=statement,
        code=(code if code is not None else problem.slow_source).strip("\n"),
        contract=contract.strip(),
        policy=policy_text.strip(),
    )


def render_examples(pairs: Sequence[tuple[str, str]]) -> str:
    return "\n".join(
        render("example", index=i, slow=slow.strip("\n"), fast=fast.strip("\n"))
        for i, (slow, fast) in enumerate(pairs, start=1)
    )


def chat(user: str, system: bool = True) -> list[Message]:
    messages = [Message("system", render("system").strip())] if system else []
    return [*messages, Message("user", user)]


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
