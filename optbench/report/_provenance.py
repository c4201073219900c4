"""What produced an exported report: the runs (ids, configs, datasets with their content
hash, git revision), the metric variant, the optbench version and the date.

An exported table travels without the database it came from, so it carries this with
it: JSON as ``{"meta": {...}, "rows": [...]}``, CSV as ``#`` comment lines above the
header (``pandas.read_csv(path, comment="#")`` reads the table;
:func:`read_csv_meta` reads the comments back).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

import optbench
from optbench.store import RunInfo, Store

CSV_PREFIX = "# "
META_FORMAT = 1
"""Version of the ``meta`` object; raised when a field changes meaning."""


def database_label(url: str) -> str:
    """The store's URL without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _run(run: RunInfo) -> dict[str, Any]:
    git = run.environment.get("git") if isinstance(run.environment, dict) else None
    packages = run.environment.get("packages") if isinstance(run.environment, dict) else None
    return {
        "id": run.id,
        "name": run.name,
        "status": run.status,
        "dataset": run.dataset,
        "dataset_version": run.dataset_version,
        "dataset_hash": run.dataset_hash,
        "created_at": run.created_at.isoformat(),
        "git": git if isinstance(git, dict) else None,
        "optbench_version": packages.get("optbench") if isinstance(packages, dict) else None,
        "config": run.config,
    }


def report_meta(
    store: Store,
    run_ids: Sequence[int],
    variant: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The provenance of a report over ``run_ids`` computed with ``variant`` (the
    keywords it was computed with, e.g. ``clamp``, ``k``, ``pool``, ``per_problem``).

    Raises KeyError naming a run id the store does not hold.
    """
    return {
        "format": META_FORMAT,
        "optbench_version": optbench.__version__,
        "generated_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "database": database_label(str(store.url)),
        "run_ids": list(run_ids),
        "variant": dict(variant),
        "runs": [_run(store.get_run(run_id)) for run_id in run_ids],
    }


def json_with_meta(rows_json: str, meta: Mapping[str, Any]) -> str:
    """``{"meta": meta, "rows": rows}`` from the rows as :func:`format_report` writes them."""
    return json.dumps({"meta": meta, "rows": json.loads(rows_json)}, indent=2)


def csv_with_meta(table: str, meta: Mapping[str, Any]) -> str:
    """``table`` under comment lines: ``# key: value`` per top-level field (values as
    compact JSON), one ``# run: {...}`` line per run."""
    lines = [f"{CSV_PREFIX}optbench report"]
    for key, value in meta.items():
        if key == "runs":
            continue
        lines.append(f"{CSV_PREFIX}{key}: {json.dumps(value, separators=(',', ':'))}")
    for run in meta.get("runs", []):
        lines.append(f"{CSV_PREFIX}run: {json.dumps(run, separators=(',', ':'))}")
    return "\n".join(lines) + "\n" + table


def read_csv_meta(text: str) -> dict[str, Any]:
    """The ``meta`` object of a CSV export, from its comment lines."""
    meta: dict[str, Any] = {"runs": []}
    for line in text.splitlines():
        if not line.startswith(CSV_PREFIX):
            break
        key, sep, value = line[len(CSV_PREFIX) :].partition(": ")
        if not sep:
            continue
        if key == "run":
            meta["runs"].append(json.loads(value))
        else:
            meta[key] = json.loads(value)
    return meta
