"""Do the report's figures mean what they say? Three runs that know the true answer.

* ``main`` — the README main job (identity and reference, quick profile): identity is the
  original itself, so its Speedup must be 1.00 with an interval containing 1, and its %Opt
  close to 0.
* ``best_of_n`` — ``best_of_n(n=8)`` with a ``fake:`` model that always answers with the
  original: eight unchanged copies per problem. Choosing the best of eight noisy
  measurements inflates the speedup (the winner's curse); the reported figure comes from
  a confirmation measurement and must stay at 1.00. The figure the selection measurement
  alone would give is printed beside it.
* ``tokens`` — zero_shot, feedback and search with a ``fake:`` model: the report's tokens
  and generation time per technique must equal the sums over the stored model calls.

    python bench/honest_numbers.py [--only main,best_of_n,tokens] [--limit N] [--keep DIR]

Prints the figures; record them in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

OPTBENCH = [sys.executable, "-m", "optbench.cli"]


def optbench(*args: str, db: Path) -> tuple[str, float]:
    started = time.monotonic()
    result = subprocess.run(
        [*OPTBENCH, *args, "--db", f"sqlite:///{db}"], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"optbench {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout + result.stderr, time.monotonic() - started


def report(db: Path, *extra: str) -> list[dict[str, Any]]:
    out = subprocess.run(
        [*OPTBENCH, "report", "--format", "json", *extra, "--db", f"sqlite:///{db}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)["rows"]


def geo(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else math.nan


def entry_line(row: dict[str, Any]) -> str:
    return (
        f"{row['technique']:<28} problems {row['problems']:>3}  "
        f"%Correct {row['correct_pct']:5.1f}  "
        f"%Opt {row['opt_pct']:4.1f} [{row['opt_pct_low']:.1f}, {row['opt_pct_high']:.1f}]  "
        f"Speedup geo {row['speedup_geomean']:.3f} "
        f"[{row['speedup_geomean_low']:.3f}, {row['speedup_geomean_high']:.3f}]  "
        f"mean {row['speedup_mean']:.3f}  unconfirmed {row.get('unconfirmed', 0)}"
    )


def by_selection(db: Path, technique: str) -> float:
    """The Speedup (geo) the selection measurement alone gives: each problem's best
    measured speedup, clamped at 1.0 (how the report scored before confirmations)."""
    rows = report(db, "--per-problem")
    scores = [
        max(1.0, r["speedup"]) if r["speedup"] is not None else 1.0
        for r in rows
        if r["technique"] == technique
    ]
    return geo(scores)


def measure_rate(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM measurements"
        ).fetchone()
    return f"{rows[0]} measurements stored between {rows[1]} and {rows[2]}"


def main_job(work: Path, limit: int | None) -> None:
    db = work / "main.db"
    args = ["run", "--dataset", "optbench-py", "--technique", "identity,reference"]
    args += ["--profile", "quick"] + (["--limit", str(limit)] if limit else [])
    output, wall = optbench(*args, db=db)
    print(f"\n## main job: {' '.join(args)}  ({wall / 60:.1f} min)")
    for line in output.splitlines():
        if any(line.lstrip().startswith(p) for p in ("baseline", "verify", "measure", "confirm")):
            print("   ", line.strip())
    for row in report(db):
        print("   ", entry_line(row))
    print(f"    identity by selection (clamped, unconfirmed): {by_selection(db, 'identity'):.3f}")


def best_of_n(work: Path, limit: int | None) -> None:
    db = work / "best_of_n.db"
    technique = "best_of_n(n=8,temperature=0.8)"
    args = ["run", "--technique", technique, "--model", "fake:", "--profile", "quick"]
    args += ["--limit", str(limit or 20)]
    _, wall = optbench(*args, db=db)
    print(f"\n## best_of_n of 8 unchanged copies: {' '.join(args)}  ({wall / 60:.1f} min)")
    [row] = report(db)
    print("   ", entry_line(row))
    print(f"    by selection (best of 8, clamped): {by_selection(db, row['technique']):.3f}")
    print("   ", measure_rate(db))


def tokens(work: Path, limit: int | None) -> None:
    db = work / "tokens.db"
    techniques = "zero_shot,feedback(rounds=1,hotspots=0),evolve(generations=1,population=2)"
    args = ["run", "--technique", techniques, "--model", "fake:", "--profile", "quick"]
    args += ["--limit", str(limit or 3), "--examples", "30"]
    _, wall = optbench(*args, db=db)
    print(f"\n## tokens: {' '.join(args)}  ({wall / 60:.1f} min)")
    with sqlite3.connect(db) as conn:
        stored = {
            technique: (tin, tout, latency)
            for technique, tin, tout, latency in conn.execute(
                "SELECT c.technique, SUM(m.input_tokens), SUM(m.output_tokens), "
                "SUM(m.latency_s) FROM model_calls m JOIN candidates c ON c.id = m.candidate_id "
                "GROUP BY c.technique"
            )
        }
        unlinked = conn.execute(
            "SELECT COUNT(*) FROM model_calls WHERE candidate_id IS NULL"
        ).fetchone()[0]
    for row in report(db):
        tin, tout, latency = stored.get(row["technique"], (0, 0, 0.0))
        print(
            f"    {row['technique']:<40} report tokens in/out {row['tokens_in']:.0f}/"
            f"{row['tokens_out']:.0f}, gen {row['gen_time_s']:.3f} s; stored calls "
            f"{tin}/{tout}, {latency:.3f} s"
        )
    print(f"    model calls linked to no candidate: {unlinked}")


SECTIONS = {"main": main_job, "best_of_n": best_of_n, "tokens": tokens}


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections, comma-separated")
    parser.add_argument("--limit", type=int, help="problems per run (default: each section's)")
    parser.add_argument("--keep", type=Path, help="keep the databases in this folder")
    args = parser.parse_args()
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {unknown}; known: {list(SECTIONS)}")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for name in chosen:
            SECTIONS[name](work, args.limit)


if __name__ == "__main__":
    cli()
