"""Prompt templates and the problem's rendering: what every model technique shows a model,
and what training data made for such techniques must show it the same way.

Prompts are the text files in ``optbench/techniques/prompts/`` with ``${name}``
placeholders (:class:`string.Template`), so code inserted into them needs no escaping.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from string import Template
from typing import Any

from optbench.core.problem import Problem, ProblemKind
from optbench.models import Message

PROMPTS = Path(__file__).resolve().parent / "prompts"


@functools.cache
def template(name: str) -> Template:
    """The prompt template ``optbench/techniques/prompts/<name>.txt``."""
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
    policy = problem.compare
    if problem.kind is ProblemKind.FUNCTION:
        name = "contract_function" if policy.mutation else "contract_function_any_mutation"
        contract = render(name, entry_point=problem.entry_point)
    else:
        contract = render("contract_program")
    policy_text = render(f"policy_{policy.mode}", rel_tol=policy.rel_tol, abs_tol=policy.abs_tol)
    if policy.checker is not None:
        policy_text += render("policy_checker")
    return render(
        "problem",
        statement=statement,
        code=(code if code is not None else problem.slow_source).strip("\n"),
        contract=contract.strip(),
        policy=policy_text.strip(),
    )


def render_examples(pairs: Sequence[tuple[str, str]], scores: Sequence[float] | None = None) -> str:
    """The slow→fast example pairs, numbered; with ``scores``, each one's similarity to the
    query is shown in its heading (so the stored prompt says why it was chosen)."""
    if scores is not None and len(scores) != len(pairs):
        raise ValueError(f"{len(pairs)} examples but {len(scores)} scores")
    return "\n".join(
        render(
            "example",
            index=i,
            note="" if scores is None else f" (similarity {scores[i - 1]:.3f})",
            slow=slow.strip("\n"),
            fast=fast.strip("\n"),
        )
        for i, (slow, fast) in enumerate(pairs, start=1)
    )


def chat(user: str, system: bool = True) -> list[Message]:
    messages = [Message("system", render("system").strip())] if system else []
    return [*messages, Message("user", user)]
