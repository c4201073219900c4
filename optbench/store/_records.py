"""Plain frozen records the store hands out (never ORM objects, which are bound to a
session and would lazy-load behind the caller's back)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from optbench.store._models import CandidateRow, ModelCallRow, RunRow


@dataclass(frozen=True)
class RunInfo:
    id: int
    name: str | None
    status: str
    dataset: str
    dataset_version: str
    dataset_hash: str
    config: dict[str, Any]
    environment: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True)
class CandidateInfo:
    id: int
    run_id: int
    problem_row: int
    dataset: str
    problem_id: str
    technique: str
    model: str
    code: str
    code_hash: str
    parent_id: int | None
    round: int
    sample: int
    reasoning: str | None
    slot_key: str
    extra: dict[str, Any]
    created_at: datetime
    verdict_status: str | None
    """None until the candidate is verified."""
    speedup: float | None
    """None until the candidate is measured."""


@dataclass(frozen=True)
class ModelCallInfo:
    id: int
    run_id: int | None
    candidate_id: int | None
    model: str
    cache_key: str
    request_key: str
    messages: list[dict[str, Any]]
    params: dict[str, Any]
    completion: str
    input_tokens: int
    output_tokens: int
    latency_s: float
    cache_hit: bool
    error: str | None
    created_at: datetime


@dataclass(frozen=True)
class Baseline:
    time_values: list[float]
    memory_values: list[float] | None
    machine: dict[str, Any] = field(default_factory=dict)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without a zone; they were written in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def run_info(row: RunRow) -> RunInfo:
    created = aware(row.created_at)
    assert created is not None
    return RunInfo(
        id=row.id,
        name=row.name,
        status=row.status,
        dataset=row.dataset,
        dataset_version=row.dataset_version,
        dataset_hash=row.dataset_hash,
        config={k: v for k, v in row.config.items() if k != "format"},
        environment=row.environment,
        created_at=created,
        started_at=aware(row.started_at),
        ended_at=aware(row.ended_at),
    )


def call_info(row: ModelCallRow) -> ModelCallInfo:
    created = aware(row.created_at)
    assert created is not None
    return ModelCallInfo(
        id=row.id,
        run_id=row.run_id,
        candidate_id=row.candidate_id,
        model=row.model,
        cache_key=row.cache_key,
        request_key=row.request_key,
        messages=row.messages,
        params=row.params,
        completion=row.completion,
        input_tokens=row.input_tokens,
        output_tokens=row.output_tokens,
        latency_s=row.latency_s,
        cache_hit=row.cache_hit,
        error=row.error,
        created_at=created,
    )


def candidate_info(
    row: CandidateRow, dataset: str, problem_id: str, status: str | None, speedup: float | None
) -> CandidateInfo:
    created = aware(row.created_at)
    assert created is not None
    return CandidateInfo(
        id=row.id,
        run_id=row.run_id,
        problem_row=row.problem_row_id,
        dataset=dataset,
        problem_id=problem_id,
        technique=row.technique,
        model=row.model,
        code=row.code,
        code_hash=row.code_hash,
        parent_id=row.parent_candidate_id,
        round=row.round,
        sample=row.sample,
        reasoning=row.reasoning,
        slot_key=row.slot_key,
        extra=row.extra,
        created_at=created,
        verdict_status=status,
        speedup=speedup,
    )
