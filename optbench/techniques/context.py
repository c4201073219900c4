"""What a technique may use while it optimizes one problem."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from optbench.core.candidate import Candidate
from optbench.core.measurement import Measurement
from optbench.core.problem import Problem
from optbench.core.verdict import Verdict
from optbench.errors import OptbenchError


class BudgetExhausted(OptbenchError):
    """Raised by the context when a technique asks for more than its budget allows.

    The runner catches it: the technique stops cleanly with what it has produced."""


@dataclass
class Budget:
    """Per (technique, problem) limits, recorded in the run's config."""

    samples: int = 1
    """Candidates a sampling technique draws (n in best-of-n, pass@k)."""
    rounds: int = 3
    """Refinement rounds (feedback) or generations (search)."""
    tokens: int | None = None
    """Total completion + prompt tokens for one problem; None for no limit."""
    calls: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "samples": self.samples,
            "rounds": self.rounds,
            "tokens": self.tokens,
            "calls": self.calls,
        }


@dataclass
class Feedback:
    """What the evaluator says about a candidate: the signal feedback loops and search use."""

    candidate: Candidate
    verdict: Verdict
    measurement: Measurement | None = None
    hotspots: list[str] = field(default_factory=list)
    """The hottest lines of a line-level profile of the candidate, when available."""
    error: str | None = None
    """Why the candidate was not measured although equivalent (e.g. the measurement failed)."""

    @property
    def equivalent(self) -> bool:
        return self.verdict.ok

    @property
    def speedup(self) -> float | None:
        return self.measurement.speedup if self.measurement else None

    @property
    def fitness(self) -> tuple[int, float]:
        """Equivalent first, then speedup: sortable, higher is better."""
        return (1 if self.equivalent else 0, self.speedup or 0.0)

    def for_prompt(self) -> str:
        lines = [self.verdict.for_prompt()]
        if self.measurement is not None:
            t = self.measurement.time
            lines.append(
                f"speedup: {t.ratio:.2f}x (95% CI {t.ci_low:.2f}-{t.ci_high:.2f}"
                f"{', significant' if t.significant else ', not significant'})"
            )
        if self.error:
            lines.append(f"measurement: {self.error}")
        if self.hotspots:
            lines.append("hottest lines:\n" + "\n".join(self.hotspots))
        return "\n".join(lines)


class Retriever(Protocol):
    def retrieve(self, problem: Problem, k: int) -> Sequence[tuple[str, str]]:
        """k (slow, fast) source pairs most similar to ``problem``, never the problem itself."""
        ...


@dataclass
class Context:
    """Everything a technique may use. Built by the runner for one (technique, model, problem)."""

    problem: Problem
    technique: str
    model: Any | None
    """A model backend (``optbench.models``) wrapped with the generation cache and budget;
    None for techniques that use no model."""
    evaluator: Callable[[Candidate], Feedback]
    budget: Budget
    rng: random.Random
    retriever: Retriever | None = None
    exemplars: Sequence[Problem] = ()
    """Problems a technique may show as examples: the run's retrieval pool, from which every
    evaluated problem and every copy or near-duplicate of one has been removed."""
    model_spec: str = ""
    log: Callable[[str], None] = lambda message: None
    outcome: Callable[[str, Candidate], None] | None = None
    """Stores a reply that gave no candidate (see :meth:`report_outcome`); set by the
    runner. Without it an outcome is only logged."""

    def evaluate(self, candidate: Candidate) -> Feedback:
        """Verify (and, when equivalent, measure) a candidate; stores it and its results."""
        candidate.technique = candidate.technique or self.technique
        candidate.model = candidate.model or self.model_spec
        return self.evaluator(candidate)

    def candidate(self, code: str, **provenance: Any) -> Candidate:
        """A candidate with this context's provenance filled in."""
        return Candidate(code=code, technique=self.technique, model=self.model_spec, **provenance)

    def report_outcome(self, message: str, **provenance: Any) -> None:
        """A reply that gave no candidate. ``message`` starts with the outcome
        (``no_code: ...``, ``model_error: ...``); ``provenance`` is what the candidate would
        have had (``sample``, ``round``, ``parent_id``, ``extra``) and ``call_ids``, the
        model calls whose cost it carries. The runner stores it as a candidate without code
        and an ``error`` verdict, so every reply counts (%Correct, pass@k, cost)."""
        if self.outcome is None:
            self.log(message)
            return
        candidate = self.candidate("", **provenance)
        kind = message.split(":", 1)[0]
        candidate.extra = {**candidate.extra, "outcome": kind, "message": message[:2000]}
        self.outcome(message, candidate)
