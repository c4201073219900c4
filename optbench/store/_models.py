"""The ORM schema: one typed declarative class per table.

Columns that queries filter or join on are narrow and indexed; everything else a
researcher may want later goes into a JSON column, so adding a field to a core type
does not need a migration.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

VERSION_TABLE = "optbench_alembic_version"
"""Our own Alembic version table, so a database migrated by another Alembic project
is never mistaken for an optbench store."""

RUN_STATUSES = ("planned", "running", "interrupted", "failed", "finished")

JsonType = JSON().with_variant(JSONB(), "postgresql")
BigId = BigInteger().with_variant(Integer(), "sqlite")
"""SQLite only auto-increments a column declared exactly ``INTEGER PRIMARY KEY``."""

HASH_LEN = 64
KEY_LEN = 128
NAME_LEN = 200


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JsonType, list[Any]: JsonType}


class RunRow(Base):
    __tablename__ = "runs"
    __table_args__ = (
        CheckConstraint(
            "status IN ('planned', 'running', 'interrupted', 'failed', 'finished')",
            name="status",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(NAME_LEN))
    status: Mapped[str] = mapped_column(String(16), index=True, default="planned")
    dataset: Mapped[str] = mapped_column(String(NAME_LEN), index=True)
    dataset_version: Mapped[str] = mapped_column(String(KEY_LEN))
    dataset_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    config: Mapped[dict[str, Any]]
    environment: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProblemRow(Base):
    __tablename__ = "problems"
    __table_args__ = (UniqueConstraint("dataset", "problem_id", "content_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(NAME_LEN))
    problem_id: Mapped[str] = mapped_column(String(NAME_LEN))
    content_hash: Mapped[str] = mapped_column(String(HASH_LEN), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(500))
    entry_point: Mapped[str | None] = mapped_column(String(NAME_LEN))
    tags: Mapped[list[Any]]
    slow_source: Mapped[str] = mapped_column(Text)
    fast_source: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CandidateRow(Base):
    __tablename__ = "candidates"
    __table_args__ = (Index("ix_candidates_run_technique_model", "run_id", "technique", "model"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    problem_row_id: Mapped[int] = mapped_column(
        ForeignKey("problems.id", ondelete="CASCADE"), index=True
    )
    slot_key: Mapped[str] = mapped_column(String(500), unique=True)
    """Deterministic key of the slot this candidate fills (run/problem/technique/model/
    sample/round/...): inserting the same slot twice returns the first row, which is how a
    resumed run avoids duplicates."""
    technique: Mapped[str] = mapped_column(String(KEY_LEN))
    model: Mapped[str] = mapped_column(String(NAME_LEN))
    code: Mapped[str] = mapped_column(Text)
    code_hash: Mapped[str] = mapped_column(String(HASH_LEN), index=True)
    parent_candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="SET NULL"), index=True
    )
    round: Mapped[int] = mapped_column(Integer, default=0)
    sample: Mapped[int] = mapped_column(Integer, default=0)
    reasoning: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ModelCallRow(Base):
    __tablename__ = "model_calls"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("runs.id", ondelete="SET NULL"), index=True
    )
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="SET NULL"), index=True
    )
    model: Mapped[str] = mapped_column(String(NAME_LEN))
    cache_key: Mapped[str] = mapped_column(String(KEY_LEN), index=True)
    """Hash of the full request, model spec and sample index included."""
    request_key: Mapped[str] = mapped_column(String(KEY_LEN), index=True)
    """The same hash without the model spec: finds a recorded answer for replay."""
    messages: Mapped[list[Any]]
    params: Mapped[dict[str, Any]]
    completion: Mapped[str] = mapped_column(Text)
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    latency_s: Mapped[float] = mapped_column(Float, default=0.0)
    cache_hit: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VerdictRow(Base):
    __tablename__ = "verdicts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(32), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    examples_tried: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    counterexample: Mapped[dict[str, Any] | None]
    details: Mapped[dict[str, Any]]
    """The full ``Verdict.to_dict()``; the source of truth when reading a verdict back."""
    elapsed_s: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MeasurementRow(Base):
    __tablename__ = "measurements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), unique=True
    )
    speedup: Mapped[float] = mapped_column(Float)
    speedup_ci_low: Mapped[float] = mapped_column(Float)
    speedup_ci_high: Mapped[float] = mapped_column(Float)
    significant: Mapped[bool] = mapped_column(Boolean)
    memory_ratio: Mapped[float | None] = mapped_column(Float)
    memory_ci_low: Mapped[float | None] = mapped_column(Float)
    memory_ci_high: Mapped[float | None] = mapped_column(Float)
    profile: Mapped[str] = mapped_column(String(64))
    machine_id: Mapped[str] = mapped_column(String(KEY_LEN), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]]
    """The full ``Measurement.to_dict()``."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConfirmationRow(Base):
    """A fresh time-only measurement of the candidate a (technique, model, problem) entry
    selected as its best: the report's speedup for that entry comes from here, not from
    the measurement the candidate was chosen by (which is biased upwards by the choice)."""

    __tablename__ = "confirmations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), unique=True
    )
    speedup: Mapped[float] = mapped_column(Float)
    speedup_ci_low: Mapped[float] = mapped_column(Float)
    speedup_ci_high: Mapped[float] = mapped_column(Float)
    significant: Mapped[bool] = mapped_column(Boolean)
    profile: Mapped[str] = mapped_column(String(64))
    machine_id: Mapped[str] = mapped_column(String(KEY_LEN), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]]
    """The full ``Measurement.to_dict()``."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BaselineRow(Base):
    """The original program's measurement, shared by every candidate of that problem
    measured on the same machine with the same profile."""

    __tablename__ = "baselines"
    __table_args__ = (UniqueConstraint("problem_hash", "machine_id", "profile"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    problem_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    machine_id: Mapped[str] = mapped_column(String(KEY_LEN))
    profile: Mapped[str] = mapped_column(String(64))
    time_values: Mapped[list[Any]]
    memory_values: Mapped[list[Any] | None]
    machine: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
