"""Throughput of batch runs and of the store, and where a run's time goes.

For each executor setting (local with 1 and 2 verification workers, Ray on a local
cluster) one fresh run of identity + reference on the first ``--limit`` problems with the
quick profile: candidates verified and measured per minute, from the wall time of each
phase. Then the store's write rate (a candidate and its verdict per row pair) on SQLite
and PostgreSQL, with 1 and 4 writer processes. Then a profile: start-up of a sandboxed
child, the verifier's fixed cost against its cost per Hypothesis example, and the
measurer's stages (probe, pyperf timing, memory) summed over the runs.

    .venv/bin/python bench/throughput.py [--limit 8] [--examples N] [--record]
        [--skip runs,store,profile] [--pg-url URL]

``--record`` puts the figures at the top of bench/RESULTS.md under a dated heading.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlalchemy import select

from optbench.core import Candidate, Stage, Verdict, VerdictStatus
from optbench.datasets import load_dataset
from optbench.measure import machine_info
from optbench.run.config import RunConfig
from optbench.run.runner import Runner
from optbench.sandbox import Sandbox
from optbench.store import open_store
from optbench.store._models import MeasurementRow
from optbench.verify import VerifyConfig, verify

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "RESULTS.md"
console = Console()


class TimedRunner(Runner):
    """The runner, with the wall time of each phase that executes jobs."""

    phase_s: dict[str, float]

    def _timed(self, name: str, phase: Callable[..., None], *args: Any) -> None:
        started = time.monotonic()
        phase(*args)
        self.phase_s[name] = self.phase_s.get(name, 0.0) + time.monotonic() - started

    def _phase_baseline(self, *args: Any) -> None:
        self._timed("baseline", super()._phase_baseline, *args)

    def _phase_verify(self, *args: Any) -> None:
        self._timed("verify", super()._phase_verify, *args)

    def _phase_measure(self, *args: Any) -> None:
        self._timed("measure", super()._phase_measure, *args)


def bench_run(label: str, config: RunConfig, workdir: Path) -> dict[str, Any]:
    db = workdir / f"{label.replace(' ', '-')}.db"
    with open_store(f"sqlite:///{db}") as store:
        runner = TimedRunner(store, console=Console(file=io.StringIO()))
        runner.phase_s = {}
        started = time.monotonic()
        run_id = runner.start(config)
        total = time.monotonic() - started
        candidates = store.candidates(run_id)
        with store.read_session() as session:
            measurements = list(
                session.scalars(
                    select(MeasurementRow.details).where(
                        MeasurementRow.candidate_id.in_([c.id for c in candidates])
                    )
                )
            )
        verdicts = [v for c in candidates if (v := store.verdict(c.id)) is not None]
        baselines = [
            store.get_baseline(p.content_hash, str(machine_info()["machine_id"]), config.profile)
            for p in _problems(config)
        ]
    phases = runner.phase_s
    stages: dict[str, float] = {}
    for m in measurements:
        details = m.get("details") or {}
        for stage, seconds in details.get("stage_s", {}).items():
            stages[stage] = stages.get(stage, 0.0) + float(seconds)
        stages["lock wait"] = stages.get("lock wait", 0.0) + float(details.get("lock_wait_s", 0))
    baseline_stages: dict[str, float] = {}
    for b in baselines:
        for stage, seconds in (
            ((b.machine if b else {}).get("baseline") or {}).get("stage_s", {}).items()
        ):
            baseline_stages[stage] = baseline_stages.get(stage, 0.0) + float(seconds)
    return {
        "label": label,
        "candidates": len(candidates),
        "verified": len(verdicts),
        "measured": len(measurements),
        "total_s": total,
        "phase_s": phases,
        "verify_per_min": 60 * len(verdicts) / phases["verify"] if phases.get("verify") else 0,
        "measure_per_min": 60 * len(measurements) / phases["measure"]
        if phases.get("measure")
        else 0,
        "both_per_min": 60
        * len(measurements)
        / (phases.get("baseline", 0) + phases.get("verify", 0) + phases.get("measure", 0)),
        "verify_task_s": sum(v.elapsed_s for v in verdicts),
        "measure_stage_s": stages,
        "baseline_stage_s": baseline_stages,
    }


def _problems(config: RunConfig) -> list[Any]:
    dataset = load_dataset(config.dataset)
    return sorted(dataset.problems, key=lambda p: p.id)[: config.limit]


# ---- the store ------------------------------------------------------------------------


def _write_rows(url: str, run_id: int, problem_row: int, writer: int, rows: int) -> float:
    with open_store(url) as store:
        started = time.monotonic()
        for i in range(rows):
            cid = store.add_candidate(
                run_id=run_id,
                problem_row=problem_row,
                slot_key=f"{run_id}/{writer}/{i}",
                candidate=Candidate(code=f"x = {i}\n", technique="bench", model="none"),
            )
            store.save_verdict(
                cid,
                Verdict(status=VerdictStatus.EQUIVALENT, stage=Stage.DIFFERENTIAL, elapsed_s=0.1),
            )
        return time.monotonic() - started


def bench_store(url: str, label: str, rows: int, writers: int) -> dict[str, Any]:
    with open_store(url) as store:
        run_id = store.create_run(
            name="bench",
            dataset="d",
            dataset_version="1",
            dataset_hash="h",
            config={},
            environment={},
        )
        problem = load_dataset("optbench-py").problems[0]
        problem_row = store.upsert_problem(problem)
    per_writer = rows // writers
    context = multiprocessing.get_context("spawn")
    with context.Pool(writers) as pool:
        elapsed = pool.starmap(
            _write_rows, [(url, run_id, problem_row, w, per_writer) for w in range(writers)]
        )
    inserted = per_writer * writers
    return {
        "label": label,
        "writers": writers,
        "rows": inserted,
        "per_s": inserted / max(elapsed),
    }


@contextlib.contextmanager
def postgres(url: str | None) -> Iterator[str | None]:
    if url:
        yield url
        return
    sys.path.insert(0, str(REPO / "tests"))
    import pg_server

    if not pg_server.available():
        yield None
        return
    with pg_server.cluster() as started:
        yield started


# ---- the profile ----------------------------------------------------------------------


def sandbox_startup(n: int = 10) -> dict[str, float]:
    """Wall seconds to start and reap a sandboxed ``python -c pass`` vs a bare one."""
    import subprocess

    bare = []
    for _ in range(n):
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.monotonic() - started)
    boxed = []
    with Sandbox() as sandbox:
        isolation = sandbox.isolation.describe()
        for _ in range(n):
            run = sandbox.run(sandbox.python("-c", "pass"), timeout=30)
            boxed.append(run.wall_s)
    return {
        "bare_python_s": statistics.median(bare),
        "sandboxed_python_s": statistics.median(boxed),
        "isolation": isolation,  # type: ignore[dict-item]
    }


def verify_cost(examples: int) -> dict[str, Any]:
    """One problem's reference solution verified with 1 and with ``examples`` examples:
    the difference is the cost of Hypothesis examples, the rest fixed start-up."""
    problem = next(p for p in sorted(load_dataset("optbench-py").problems, key=lambda p: p.id))
    code = problem.fast_source or problem.slow_source
    costs = {}
    for n in (1, examples):
        started = time.monotonic()
        verdict = verify(problem, code, VerifyConfig(max_examples=n))
        costs[n] = (time.monotonic() - started, verdict.examples_tried)
    (fixed, _), (full, tried) = costs[1], costs[examples]
    return {
        "problem": problem.id,
        "fixed_s": fixed,
        "full_s": full,
        "examples": tried,
        "per_example_ms": 1000 * (full - fixed) / max(1, tried - 1),
    }


# ---- output ---------------------------------------------------------------------------


def render(
    command: str,
    runs: list[dict[str, Any]],
    stores: list[dict[str, Any]],
    profile: dict[str, Any],
    examples: int,
    limit: int,
) -> str:
    info = machine_info()
    lines = [
        f"## {date.today().isoformat()} — run and store throughput (bench/throughput.py)",
        "",
        f"- Machine: {info['cpu_model']}, {info['logical_cores']} cores, "
        f"Python {platform.python_version()}, load average at start {info['load_average']}",
        f"- Command: `{command}`",
        f"- Runs: identity + reference on the first {limit} problems of optbench-py, quick "
        f"profile, {examples} Hypothesis examples, a fresh SQLite store per run.",
        "",
    ]
    if runs:
        lines += [
            "| executor | candidates | baseline s | verify s | measure s | verified/min "
            "| measured/min | verified+measured/min (baseline..measure) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in runs:
            p = r["phase_s"]
            lines.append(
                f"| {r['label']} | {r['candidates']} | {p.get('baseline', 0):.1f} | "
                f"{p.get('verify', 0):.1f} | {p.get('measure', 0):.1f} | "
                f"{r['verify_per_min']:.1f} | {r['measure_per_min']:.1f} | "
                f"{r['both_per_min']:.1f} |"
            )
        lines.append("")
    if stores:
        lines += ["| store | writers | candidate+verdict pairs | pairs/s |", "|---|---|---|---|"]
        lines += [
            f"| {s['label']} | {s['writers']} | {s['rows']} | {s['per_s']:.0f} |" for s in stores
        ]
        lines.append("")
    if profile or runs:
        lines.append("Where the time goes:")
        if "sandbox" in profile:
            sb = profile["sandbox"]
            lines.append(
                f"- Start-up of a sandboxed child ({sb['isolation']}): "
                f"{1000 * sb['sandboxed_python_s']:.0f} ms median vs "
                f"{1000 * sb['bare_python_s']:.0f} ms for a bare `python -c pass`."
            )
        if "verify" in profile:
            v = profile["verify"]
            lines.append(
                f"- Verifying {v['problem']}'s reference: {v['fixed_s']:.2f} s with 1 example "
                f"(static checks, two sandboxed workers, given examples), {v['full_s']:.2f} s "
                f"with {v['examples']}: {v['per_example_ms']:.1f} ms per Hypothesis example."
            )
        for r in runs:
            stages = ", ".join(f"{k} {v:.1f} s" for k, v in r["measure_stage_s"].items())
            base = ", ".join(f"{k} {v:.1f} s" for k, v in r["baseline_stage_s"].items())
            lines.append(
                f"- {r['label']}: verifier time summed over candidates {r['verify_task_s']:.1f} s; "
                f"measurer stages summed over candidates: {stages}; baselines: {base}."
            )
        lines.append("")
    return "\n".join(lines)


def record(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    head, marker, rest = text.partition("\n## ")
    updated = head.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    if marker:
        updated += "\n## " + rest
    RESULTS.write_text(updated, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=8)
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--rows", type=int, default=400, help="candidate+verdict pairs per store")
    parser.add_argument("--skip", default="", help="comma-separated: runs,ray,store,profile")
    parser.add_argument("--pg-url", help="PostgreSQL to write to (default: a throwaway cluster)")
    parser.add_argument("--record", action="store_true", help="prepend to bench/RESULTS.md")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    command = "python bench/throughput.py " + " ".join(sys.argv[1:])

    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="optbench-throughput-") as tmp:
        workdir = Path(tmp)
        if "runs" not in skip:
            settings = [("local, 1 worker", "local", 1), ("local, 2 workers", "local", 2)]
            if "ray" not in skip:
                settings.append(("ray, local cluster (2 CPUs)", "ray", None))
            for label, executor, workers in settings:
                config = RunConfig.from_dict(
                    {
                        "techniques": ["identity", "reference"],
                        "limit": args.limit,
                        "profile": "quick",
                        "max_examples": args.examples,
                        "workers": workers,
                        "executor": executor,
                    }
                )
                console.print(f"[bold]run[/]: {label} ...")
                runs.append(bench_run(label, config, workdir))
                console.print(runs[-1])

        stores: list[dict[str, Any]] = []
        if "store" not in skip:
            for writers in (1, 4):
                url = f"sqlite:///{workdir / f'store-{writers}.db'}"
                stores.append(bench_store(url, "SQLite (WAL)", args.rows, writers))
                console.print(stores[-1])
            with postgres(args.pg_url) as pg_url:
                if pg_url is None:
                    console.print("[yellow]PostgreSQL not installed: skipped[/]")
                else:
                    for writers in (1, 4):
                        stores.append(bench_store(pg_url, "PostgreSQL 15", args.rows, writers))
                        console.print(stores[-1])

    profile: dict[str, Any] = {}
    if "profile" not in skip:
        profile["sandbox"] = sandbox_startup()
        profile["verify"] = verify_cost(args.examples)
        console.print(profile)

    section = render(command, runs, stores, profile, args.examples, args.limit)
    console.print(section, markup=False, highlight=False)
    if args.record:
        record(section)
        console.print(f"recorded in {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    main()
