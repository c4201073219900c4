"""Initial schema: runs, problems, candidates, model calls, verdicts, measurements, baselines.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 12:52:58.268667
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_VALUE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "baselines",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("problem_hash", sa.String(length=64), nullable=False),
        sa.Column("machine_id", sa.String(length=128), nullable=False),
        sa.Column("profile", sa.String(length=64), nullable=False),
        sa.Column("time_values", JSON_VALUE, nullable=False),
        sa.Column("memory_values", JSON_VALUE, nullable=True),
        sa.Column("machine", JSON_VALUE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_baselines")),
        sa.UniqueConstraint(
            "problem_hash",
            "machine_id",
            "profile",
            name=op.f("uq_baselines_problem_hash_machine_id_profile"),
        ),
    )
    op.create_table(
        "problems",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("dataset", sa.String(length=200), nullable=False),
        sa.Column("problem_id", sa.String(length=200), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("entry_point", sa.String(length=200), nullable=True),
        sa.Column("tags", JSON_VALUE, nullable=False),
        sa.Column("slow_source", sa.Text(), nullable=False),
        sa.Column("fast_source", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problems")),
        sa.UniqueConstraint(
            "dataset",
            "problem_id",
            "content_hash",
            name=op.f("uq_problems_dataset_problem_id_content_hash"),
        ),
    )
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_problems_content_hash"), ["content_hash"], unique=False
        )

    op.create_table(
        "runs",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("dataset", sa.String(length=200), nullable=False),
        sa.Column("dataset_version", sa.String(length=128), nullable=False),
        sa.Column("dataset_hash", sa.String(length=64), nullable=False),
        sa.Column("config", JSON_VALUE, nullable=False),
        sa.Column("environment", JSON_VALUE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('planned', 'running', 'interrupted', 'failed', 'finished')",
            name=op.f("ck_runs_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_runs_dataset"), ["dataset"], unique=False)
        batch_op.create_index(batch_op.f("ix_runs_status"), ["status"], unique=False)

    op.create_table(
        "candidates",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("run_id", ROW_ID, nullable=False),
        sa.Column("problem_row_id", ROW_ID, nullable=False),
        sa.Column("slot_key", sa.String(length=500), nullable=False),
        sa.Column("technique", sa.String(length=128), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("parent_candidate_id", ROW_ID, nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("sample", sa.Integer(), nullable=False),
        sa.Column("reasoning", sa.Text(), nullable=True),
        sa.Column("extra", JSON_VALUE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_candidate_id"],
            ["candidates.id"],
            name=op.f("fk_candidates_parent_candidate_id_candidates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["problem_row_id"],
            ["problems.id"],
            name=op.f("fk_candidates_problem_row_id_problems"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_candidates_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidates")),
        sa.UniqueConstraint("slot_key", name=op.f("uq_candidates_slot_key")),
    )
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidates_code_hash"), ["code_hash"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_candidates_parent_candidate_id"), ["parent_candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidates_problem_row_id"), ["problem_row_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_candidates_run_id"), ["run_id"], unique=False)
        batch_op.create_index(
            "ix_candidates_run_technique_model", ["run_id", "technique", "model"], unique=False
        )

    op.create_table(
        "measurements",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("candidate_id", ROW_ID, nullable=False),
        sa.Column("speedup", sa.Float(), nullable=False),
        sa.Column("speedup_ci_low", sa.Float(), nullable=False),
        sa.Column("speedup_ci_high", sa.Float(), nullable=False),
        sa.Column("significant", sa.Boolean(), nullable=False),
        sa.Column("memory_ratio", sa.Float(), nullable=True),
        sa.Column("memory_ci_low", sa.Float(), nullable=True),
        sa.Column("memory_ci_high", sa.Float(), nullable=True),
        sa.Column("profile", sa.String(length=64), nullable=False),
        sa.Column("machine_id", sa.String(length=128), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("details", JSON_VALUE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_measurements_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurements")),
        sa.UniqueConstraint("candidate_id", name=op.f("uq_measurements_candidate_id")),
    )
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measurements_machine_id"), ["machine_id"], unique=False
        )

    op.create_table(
        "model_calls",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("run_id", ROW_ID, nullable=True),
        sa.Column("candidate_id", ROW_ID, nullable=True),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("cache_key", sa.String(length=128), nullable=False),
        sa.Column("request_key", sa.String(length=128), nullable=False),
        sa.Column("messages", JSON_VALUE, nullable=False),
        sa.Column("params", JSON_VALUE, nullable=False),
        sa.Column("completion", sa.Text(), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("latency_s", sa.Float(), nullable=False),
        sa.Column("cache_hit", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_model_calls_candidate_id_candidates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_model_calls_run_id_runs"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_calls")),
    )
    with op.batch_alter_table("model_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_model_calls_cache_key"), ["cache_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_model_calls_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_model_calls_request_key"), ["request_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_model_calls_run_id"), ["run_id"], unique=False)

    op.create_table(
        "verdicts",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("candidate_id", ROW_ID, nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("examples_tried", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("counterexample", JSON_VALUE, nullable=True),
        sa.Column("details", JSON_VALUE, nullable=False),
        sa.Column("elapsed_s", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_verdicts_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verdicts")),
        sa.UniqueConstraint("candidate_id", name=op.f("uq_verdicts_candidate_id")),
    )
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verdicts_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("verdicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verdicts_status"))

    op.drop_table("verdicts")
    with op.batch_alter_table("model_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_model_calls_run_id"))
        batch_op.drop_index(batch_op.f("ix_model_calls_request_key"))
        batch_op.drop_index(batch_op.f("ix_model_calls_candidate_id"))
        batch_op.drop_index(batch_op.f("ix_model_calls_cache_key"))

    op.drop_table("model_calls")
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measurements_machine_id"))

    op.drop_table("measurements")
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_index("ix_candidates_run_technique_model")
        batch_op.drop_index(batch_op.f("ix_candidates_run_id"))
        batch_op.drop_index(batch_op.f("ix_candidates_problem_row_id"))
        batch_op.drop_index(batch_op.f("ix_candidates_parent_candidate_id"))
        batch_op.drop_index(batch_op.f("ix_candidates_code_hash"))

    op.drop_table("candidates")
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_runs_status"))
        batch_op.drop_index(batch_op.f("ix_runs_dataset"))

    op.drop_table("runs")
    with op.batch_alter_table("problems", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_problems_content_hash"))

    op.drop_table("problems")
    op.drop_table("baselines")
