"""Every model technique end to end through the runner, with a tiny local causal LM
(random weights) behind ``hf:`` and behind a real ``transformers serve``.

The replies are noise, so nothing is expected to be correct: the point is that each
technique runs, every call is recorded, and every reply leaves a stored candidate or a
recorded no_code outcome.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.models.test_local_models import served, tiny_lm  # noqa: F401
from tests.models.tiny_lm import build_tiny_lm  # noqa: F401
from tests.models.transformers_server import OFFLINE

pytest.importorskip("torch")
pytest.importorskip("transformers")

TECHNIQUES = [
    "zero_shot",
    "few_shot",
    "cot",
    "perf_conditioned",
    "rag",
    "best_of_n",
    "feedback",
    "search(samples=2)",
    "evolve(population=2)",
    "profile_guided",
]
SHORT = "max_new_tokens=24"


def _with_short_replies(spec: str) -> str:
    if spec.endswith(")"):
        return spec[:-1] + f", {SHORT})"
    return f"{spec}({SHORT})"


def _run(model: str, db: Path) -> subprocess.CompletedProcess[str]:
    techniques = ",".join(_with_short_replies(t) for t in TECHNIQUES)
    return subprocess.run(
        [
            sys.executable, "-m", "optbench.cli", "run",
            "--technique", techniques,
            "--model", model,
            "--problems", "pair-sum-count,range-sum-queries",
            "--profile", "smoke", "--examples", "20", "--samples", "2", "--rounds", "2",
            "--db", f"sqlite:///{db}",
        ],
        capture_output=True, text=True, timeout=900,
        env={**__import__("os").environ, **OFFLINE},
    )  # fmt: skip


def _check(db: Path, result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs").fetchone()[0] == "finished"
        calls = dict(
            conn.execute(
                "SELECT c.technique, COUNT(*) FROM candidates c GROUP BY c.technique"
            ).fetchall()
        )
        model_calls = conn.execute("SELECT COUNT(*) FROM model_calls").fetchone()[0]
        unverified = conn.execute(
            "SELECT COUNT(*) FROM candidates c LEFT JOIN verdicts v ON v.candidate_id = c.id "
            "WHERE v.id IS NULL"
        ).fetchone()[0]
        unlinked = conn.execute(
            "SELECT COUNT(*) FROM model_calls WHERE candidate_id IS NULL"
        ).fetchone()[0]
    assert model_calls >= 2 * len(TECHNIQUES)
    assert unlinked == 0  # every call's cost is some candidate's
    names = {t.split("(")[0] for t in calls}
    assert names == {t.split("(")[0] for t in TECHNIQUES}, calls
    assert unverified == 0


@pytest.mark.slow
def test_every_technique_with_a_local_hf_model(tiny_lm: Path, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "hf.db"
    _check(db, _run(f"hf:{tiny_lm}", db))


@pytest.mark.slow
def test_every_technique_through_transformers_serve(
    served: str,  # noqa: F811
    tiny_lm: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    pytest.importorskip("langchain_openai")
    db = tmp_path / "served.db"
    _check(db, _run(f"openai:{tiny_lm}@{served}", db))
