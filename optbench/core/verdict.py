"""The outcome of checking a candidate for equivalence with the original."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

PROMPT_FIELD_LIMIT = 600


class VerdictStatus(StrEnum):
    EQUIVALENT = "equivalent"
    NOT_EQUIVALENT = "not_equivalent"
    ERROR = "error"
    """Syntax error, missing entry point, import failure or crash of the candidate."""
    TIMEOUT = "timeout"
    REJECTED = "rejected"
    """The sandbox refused the candidate (policy, resource limit)."""


class Stage(StrEnum):
    STATIC = "static"
    EXAMPLES = "examples"
    DIFFERENTIAL = "differential"
    WORKLOAD = "workload"
    """Run on the benchmark workload while measured: a wrong output, crash or timeout
    there is evidence like any other input's."""


@dataclass
class Counterexample:
    """The (shrunk) input on which the candidate differs, in short printable form."""

    input: str
    expected: str
    actual: str
    kind: str = "value"
    """value | exception | mutation | stdout | exit_status | timeout | crash"""
    full_input: str | None = field(default=None, repr=False, compare=False)
    """A program's whole stdin where ``input`` is clipped, for reruns in this process
    (classifying a disagreement); never stored."""

    def for_prompt(self) -> str:
        return (
            f"input: {_clip(self.input)}\n"
            f"expected ({self.kind}): {_clip(self.expected)}\n"
            f"actual: {_clip(self.actual)}"
        )


@dataclass
class Verdict:
    status: VerdictStatus
    stage: Stage
    examples_tried: int = 0
    message: str = ""
    counterexample: Counterexample | None = None
    strategy_used: bool = True
    """False when the problem has no strategy and only given tests were checked."""
    elapsed_s: float = 0.0
    isolation: str = ""
    """Which sandbox layers were in force (e.g. ``bwrap+netns+uid``, ``none``)."""
    provisional: bool = False
    """Given inside a technique's loop (feedback, search, best-of-n), on the derandomized
    inputs whose verdicts the technique saw; the run's verify phase replaces it with a
    final verdict on freshly drawn inputs."""

    @property
    def ok(self) -> bool:
        return self.status is VerdictStatus.EQUIVALENT

    def for_prompt(self) -> str:
        """A few lines a feedback technique can put in its next prompt."""
        head = f"verdict: {self.status.value} (stage {self.stage.value}, {self.examples_tried} inputs tried)"
        parts = [head]
        if self.message:
            parts.append(_clip(self.message))
        if self.counterexample is not None:
            parts.append(self.counterexample.for_prompt())
        return "\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["counterexample"] is not None:
            data["counterexample"].pop("full_input", None)
        data["status"] = self.status.value
        data["stage"] = self.stage.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        cex = data.get("counterexample")
        return cls(
            status=VerdictStatus(data["status"]),
            stage=Stage(data["stage"]),
            examples_tried=int(data.get("examples_tried", 0)),
            message=data.get("message", ""),
            counterexample=Counterexample(**cex) if cex else None,
            strategy_used=bool(data.get("strategy_used", True)),
            elapsed_s=float(data.get("elapsed_s", 0.0)),
            isolation=data.get("isolation", ""),
            provisional=bool(data.get("provisional", False)),
        )


def _clip(text: str, limit: int = PROMPT_FIELD_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 15] + f"... [{len(text)} chars]"
