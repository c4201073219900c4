"""A candidate: code a technique proposes for a problem, with its provenance."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Candidate:
    """Code proposed for a problem, with where it comes from.

    ``sample`` and ``round`` number candidates the same way in every technique, so that a
    "sample" (the unit pass@k and Speedup@k draw ``k`` of, see
    :func:`optbench.stats.pass_at_k`) means the same thing whatever the technique:

    * ``sample`` — which independent draw the candidate descends from, ``0 .. n-1``. The
      ``n`` replies to one initial prompt are samples ``0 .. n-1`` (best-of-n, search's
      initial population, ``samples=n`` of a prompting technique); a refinement keeps the
      sample of what it refines (every round of a feedback chain is sample 0), and a child
      of several parents (search crossover) takes the largest of their samples, so a
      candidate among the first ``k`` samples descends from those draws only.
    * ``round`` — the refinement round (feedback) or generation (search) that produced it;
      ``0`` for the initial draws and for techniques that do not refine.

    A reply without code (a ``no_code`` or ``model_error`` outcome) is stored as a
    candidate without code numbered like the candidate it would have been.
    """

    code: str
    technique: str = ""
    model: str = ""
    parent_id: int | None = None
    round: int = 0
    sample: int = 0
    reasoning: str | None = None
    """Free text a technique produced before the code (chain-of-thought, a plan)."""
    extra: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    call_ids: list[int] = field(default_factory=list)
    """Ids of the stored model calls whose replies produced this candidate. The run's
    evaluator links those calls to the candidate when it stores it, which is how a
    candidate's tokens and generation time are counted (not stored on the candidate)."""

    @property
    def code_hash(self) -> str:
        return hashlib.sha256(self.code.encode()).hexdigest()
