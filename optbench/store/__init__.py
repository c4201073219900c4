"""Persistence: runs, problems, candidates, model calls, verdicts, measurements and
baselines in SQLite (default) or PostgreSQL, with the schema migrated by Alembic."""

from optbench.store._engine import ENV_VAR, default_url
from optbench.store._errors import StoreError
from optbench.store._migrate import alembic_config, head_revision
from optbench.store._models import RUN_STATUSES
from optbench.store._open import missing_sqlite_file, open_store
from optbench.store._records import Baseline, CandidateInfo, ModelCallInfo, RunInfo
from optbench.store._store import Store

__all__ = [
    "ENV_VAR",
    "RUN_STATUSES",
    "Baseline",
    "CandidateInfo",
    "ModelCallInfo",
    "RunInfo",
    "Store",
    "StoreError",
    "alembic_config",
    "default_url",
    "head_revision",
    "missing_sqlite_file",
    "open_store",
]
