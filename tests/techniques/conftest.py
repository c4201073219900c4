"""A Context with a scripted model and the real verifier (no measurement)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.datasets import load_dataset
from optbench.models import Budget as ModelBudget
from optbench.models import CachedModel, FakeModel, Message
from optbench.techniques import Budget, Context, Feedback
from optbench.verify import VerifyConfig, verify

FAST_FIB = """```python
def fib(n):
    if n < 0:
        raise ValueError("n must be non-negative")
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
```"""
WRONG_FIB = """```python
def fib(n):
    if n < 0:
        raise ValueError("n must be non-negative")
    return n
```"""
OFF_BY_ONE_FIB = """```python
def fib(n):
    if n < 0:
        raise ValueError("n must be non-negative")
    a, b = 0, 1
    for _ in range(n - 1):
        a, b = b, a + b
    return b if n else 0
```"""


@dataclass
class Harness:
    ctx: Context
    fake: FakeModel
    logs: list[str] = field(default_factory=list)
    evaluated: list[Candidate] = field(default_factory=list)
    feedbacks: list[Feedback] = field(default_factory=list)

    @property
    def prompts(self) -> list[str]:
        """The user message of every request the model received."""
        return [m.content for req in self.fake.requests for m in req if m.role == "user"]


@pytest.fixture(scope="session")
def bundled() -> Any:
    return load_dataset("optbench-py")


@pytest.fixture
def harness(bundled: Any) -> Callable[..., Harness]:
    def make(
        problem: Problem | str = "fib-recursive",
        replies: Sequence[str | BaseException] | None = None,
        reply_fn: Callable[[list[Message]], str] | None = None,
        *,
        exemplars: Sequence[Problem] | None = None,
        budget: Budget | None = None,
        max_calls: int | None = None,
        retriever: Any = None,
        seed: int = 0,
    ) -> Harness:
        if isinstance(problem, str):
            problem = bundled.get(problem)
        fake = FakeModel(replies=replies, reply_fn=reply_fn)
        model = CachedModel(fake, budget=ModelBudget(max_calls=max_calls))
        ids = itertools.count(1)
        config = VerifyConfig.quick(max_examples=25)
        h: Harness

        def evaluate(candidate: Candidate) -> Feedback:
            verdict = verify(problem, candidate.code, config)
            candidate.id = next(ids)
            feedback = Feedback(candidate=candidate, verdict=verdict)
            h.evaluated.append(candidate)
            h.feedbacks.append(feedback)
            return feedback

        ctx = Context(
            problem=problem,
            technique="test",
            model=model,
            evaluator=evaluate,
            budget=budget or Budget(samples=3, rounds=3),
            rng=random.Random(seed),
            retriever=retriever,
            exemplars=tuple(exemplars if exemplars is not None else bundled.problems),
            model_spec="fake:scripted",
        )
        h = Harness(ctx, fake)
        ctx.log = h.logs.append
        return h

    return make
