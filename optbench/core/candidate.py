"""A candidate: code a technique proposes for a problem, with its provenance."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Candidate:
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

    @property
    def code_hash(self) -> str:
        return hashlib.sha256(self.code.encode()).hexdigest()
