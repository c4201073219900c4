"""Settings of one verification."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from optbench.sandbox.limits import Limits

QUICK_EXAMPLES = 60


@dataclass(frozen=True)
class VerifyConfig:
    """How hard to look for a counterexample, and how long to wait for one.

    Picklable, so a process pool can ship it with the problem and the code.
    """

    max_examples: int = 200
    """Generated inputs per candidate (Hypothesis ``max_examples``)."""
    budget_s: float = 120.0
    """Wall-clock budget of the differential stage. When it runs out before
    ``max_examples`` inputs were tried the verdict is ``timeout``, never ``equivalent`` (a
    candidate that sleeps through the budget would otherwise pass on the few inputs it let
    the search try); a counterexample found by then is reported as shrunk so far."""
    min_example_timeout_s: float = 1.0
    timeout_factor: float = 20.0
    """The candidate may take ``max(min_example_timeout_s, timeout_factor × original)``
    on each input, the original's time being measured on that same input."""
    original_timeout_s: float = 60.0
    """How long the original may take on one input before the problem is blamed."""
    load_timeout_s: float = 20.0
    """How long loading (importing) a program may take."""
    shrink: bool = True
    """Shrink value mismatches to a minimal counterexample."""
    limits: Limits = field(default_factory=lambda: Limits(cpu_s=300, memory_mb=2048))
    """Resource limits of each worker process."""
    seed: int | None = None
    """None draws the same derandomized inputs every time (a feedback loop compares its
    drafts on one set of inputs); a number draws another set, reproducibly. A candidate
    whose technique saw verdicts on the derandomized inputs gets its final verdict from a
    seeded draw, so it is not judged on the inputs it was tuned against."""

    @classmethod
    def quick(cls, **changes: object) -> VerifyConfig:
        """Fewer examples, for feedback loops that verify many drafts."""
        return replace(cls(max_examples=QUICK_EXAMPLES, budget_s=30.0), **changes)  # type: ignore[arg-type]

    def example_timeout(self, original_elapsed: float) -> float:
        return max(self.min_example_timeout_s, self.timeout_factor * original_elapsed)
