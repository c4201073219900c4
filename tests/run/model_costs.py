"""A run of every model technique with a scripted ``fake:`` model, and what its stored
model calls add up to. The replies are programs that print the wrong thing (verified
quickly, never measured), a reply without code, a request served from the cache and a
search child repeating its parent."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

PROBLEM = "celsius-to-fahrenheit"
TECHNIQUES = [
    "zero_shot",
    "few_shot",
    "cot",
    "perf_conditioned",
    "rag",
    "best_of_n(n=3)",
    "feedback(rounds=1,hotspots=0)",
    "evolve(population=2,generations=1,crossover_rate=1.0)",
]
NO_CODE = "I would rather explain than write code."
REPLIES = [
    "```python\nprint(10)\n```",  # zero_shot
    "```python\nprint(11)\n```",  # few_shot
    "Plan: print less.\n```python\nprint(12)\n```",  # cot
    "```python\nprint(13)\n```",  # perf_conditioned
    "```python\nprint(14)\n```",  # rag
    "```python\nprint(15)\n```",  # best_of_n: samples 0, 1 (no code) and 2
    NO_CODE,
    "```python\nprint(16)\n```",
    # feedback: round 0 asks zero_shot's request again and is served from the cache
    "```python\nprint(17)\n```",  # feedback: round 1
    "```python\nprint(18)\n```",  # evolve: generation 0 (samples 0 and 1)
    "```python\nprint(19)\n```",
    "```python\nprint(18)\n```",  # generation 1: a repeat of sample 0, then a new child
    "```python\nprint(20)\n```",
]
CALLS = len(REPLIES) + 1
"""model_calls rows of a run: one per reply, and feedback's cache hit."""
SPARE = ["```python\nprint(99)\n```"] * 4
"""Unused by a run that goes as planned; they keep a deviation from failing the run."""


def script(folder: Path) -> str:
    path = folder / "replies.txt"
    path.write_text("\n---\n".join(REPLIES + SPARE), encoding="utf-8")
    return f"fake:{path}"


def optbench(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "optbench.cli", *args, "--db", f"sqlite:///{db}"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def run(db: Path, model: str) -> int:
    """Start the run; its id."""
    optbench(
        db,
        "run",
        "--technique",
        ",".join(TECHNIQUES),
        "--model",
        model,
        "--problems",
        PROBLEM,
        "--profile",
        "smoke",
        "--examples",
        "20",
    )
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT MAX(id) FROM runs").fetchone()[0])


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def call_totals(db: Path, run_id: int) -> tuple[int, int, float, int]:
    """Input tokens, output tokens, latency and the number of the run's model_calls rows."""
    ((tokens_in, tokens_out, latency, count),) = rows(
        db,
        "SELECT SUM(input_tokens), SUM(output_tokens), SUM(latency_s), COUNT(*) "
        "FROM model_calls WHERE run_id = ?",
        run_id,
    )
    return int(tokens_in or 0), int(tokens_out or 0), float(latency or 0.0), int(count)


def calls_by_technique(db: Path, run_id: int) -> dict[str, tuple[int, int, float]]:
    """Per technique, the sums over the run's model_calls rows linked to its candidates."""
    found = rows(
        db,
        "SELECT c.technique, SUM(m.input_tokens), SUM(m.output_tokens), SUM(m.latency_s) "
        "FROM model_calls m JOIN candidates c ON c.id = m.candidate_id "
        "WHERE m.run_id = ? GROUP BY c.technique",
        run_id,
    )
    return {t: (int(i), int(o), float(s)) for t, i, o, s in found}
