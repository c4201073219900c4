"""Measured performance of a candidate against the original on the same workload."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Stats:
    values: list[float]
    unit: str = "s"

    @property
    def mean(self) -> float:
        return statistics.fmean(self.values) if self.values else float("nan")

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def stdev(self) -> float:
        return statistics.stdev(self.values) if len(self.values) > 1 else 0.0


@dataclass
class MetricResult:
    """One metric, original vs candidate.

    ``ratio`` is always baseline / candidate, so higher is better for both metrics:
    for ``time`` it is the speedup, for ``peak_memory`` the memory ratio (2.0 = half the memory).
    """

    metric: str
    baseline: Stats
    candidate: Stats
    ratio: float
    ci_low: float
    ci_high: float
    significant: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MetricResult:
        return cls(
            metric=data["metric"],
            baseline=Stats(**data["baseline"]),
            candidate=Stats(**data["candidate"]),
            ratio=float(data["ratio"]),
            ci_low=float(data["ci_low"]),
            ci_high=float(data["ci_high"]),
            significant=bool(data["significant"]),
        )


@dataclass
class Measurement:
    time: MetricResult
    memory: MetricResult | None = None
    profile: str = "default"
    machine: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def speedup(self) -> float:
        return self.time.ratio

    def to_dict(self) -> dict[str, Any]:
        return {
            "time": self.time.to_dict(),
            "memory": self.memory.to_dict() if self.memory else None,
            "profile": self.profile,
            "machine": self.machine,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Measurement:
        return cls(
            time=MetricResult.from_dict(data["time"]),
            memory=MetricResult.from_dict(data["memory"]) if data.get("memory") else None,
            profile=data.get("profile", "default"),
            machine=data.get("machine", {}),
            error=data.get("error"),
        )
