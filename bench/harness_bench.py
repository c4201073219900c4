"""Benchmarks of the harness itself on the bundled dataset.

Prints: verification throughput (candidates per minute), measurement cost per candidate
for each profile, the identity noise floor (each problem's original measured against
itself, compared with the original timed beside it and with the stored baseline: the
share of problems whose interval contains 1.0, the median |speedup - 1|, and how many
would count as optimized), and the mutation kill rate of given-tests-only checking next to optbench's differential
testing.

    .venv/bin/python bench/harness_bench.py [--dataset optbench-py] [--noise-limit N]
        [--profiles quick,default] [--noise-profiles quick,default] [--skip noise,mutants,...]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from rich.console import Console
from rich.table import Table

from optbench.core.measurement import MetricResult
from optbench.core.problem import Problem
from optbench.datasets import load_dataset
from optbench.measure import (
    BaselineResult,
    MeasurementError,
    compare_values,
    measure,
    measure_baseline,
    measure_candidate,
)
from optbench.verify import VerifyConfig, verify

REPO = Path(__file__).resolve().parents[1]
console = Console()


def given_tests_only(problem: Problem) -> Problem:
    """The same problem with its strategy removed: edge examples and given tests only."""
    source = (problem.inputs_source or "") + "\n\nstrategy = None\n"
    return dataclasses.replace(
        problem, inputs_source=source, content_hash=problem.content_hash + "-given"
    )


def _verify(args: tuple[Problem, str, int]) -> str:
    problem, code, examples = args
    return verify(problem, code, VerifyConfig(max_examples=examples)).status.value


def verification_throughput(
    problems: list[Problem], workers: int, examples: int
) -> tuple[int, float]:
    jobs = [(p, p.fast_source or p.slow_source, examples) for p in problems]
    start = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        statuses = list(pool.map(_verify, jobs))
    elapsed = time.perf_counter() - start
    assert all(s == "equivalent" for s in statuses), statuses
    return len(jobs), elapsed


def mutants(dataset_problems: dict[str, Problem]) -> list[tuple[Problem, Path]]:
    found = []
    for path in sorted((REPO / "tests" / "mutants").glob("*/*.py")):
        problem = dataset_problems.get(path.parent.name)
        if problem is not None:
            found.append((problem, path))
    return found


def kill_rates(
    items: list[tuple[Problem, Path]], workers: int, examples: int
) -> tuple[int, int, int]:
    ours = [(p, m.read_text(), examples) for p, m in items]
    given = [(given_tests_only(p), m.read_text(), examples) for p, m in items]
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        ours_status = list(pool.map(_verify, ours))
        given_status = list(pool.map(_verify, given))
    return (
        len(items),
        sum(s != "equivalent" for s in given_status),
        sum(s != "equivalent" for s in ours_status),
    )


def noise_floor(problems: list[Problem], profile: str = "quick") -> None:
    """Every original measured as its own candidate, the way a run does it: all baselines
    first (stored), then every identity candidate against its stored baseline, minutes
    later. The speedup is shown two ways: against the original timed in alternate rounds
    with the candidate (what optbench reports), and against the stored baseline (what a
    harness that reuses baselines would report)."""
    baselines: dict[str, BaselineResult] = {}
    errors = 0
    for problem in problems:
        try:
            baselines[problem.id] = measure_baseline(problem, profile, memory=False)
        except MeasurementError as exc:
            errors += 1
            console.print(f"[yellow]{problem.id}: {exc}")
    interleaved: list[MetricResult] = []
    stored: list[MetricResult] = []
    drifts: list[float] = []
    for problem in problems:
        baseline = baselines.get(problem.id)
        if baseline is None:
            continue
        try:
            m = measure_candidate(problem, problem.slow_source, profile, baseline, memory=False)
        except MeasurementError as exc:
            errors += 1
            console.print(f"[yellow]{problem.id}: {exc}")
            continue
        interleaved.append(m.time)
        stored.append(
            compare_values("time", baseline.time_values, m.time.candidate.values, unit="s")
        )
        drifts.append(m.details["baseline_drift"])
    table = Table(title=f"identity noise floor ({profile} profile, {len(interleaved)} problems)")
    for column in (
        "compared with",
        "CI contains 1.0",
        "median |speedup-1|",
        "max |speedup-1|",
        "'optimized' (>=1.10x, sig.)",
        "'slower' (sig.)",
    ):
        table.add_column(column)
    for name, results in (("original, interleaved", interleaved), ("stored baseline", stored)):
        n = max(len(results), 1)
        contains = sum(r.ci_low <= 1.0 <= r.ci_high for r in results)
        deviations = [abs(r.ratio - 1.0) for r in results] or [float("nan")]
        fast = sum(r.significant and r.ratio >= 1.10 for r in results)
        slow = sum(r.significant and r.ratio < 1.0 for r in results)
        table.add_row(
            name,
            f"{contains}/{len(results)} ({100 * contains / n:.0f}%)",
            f"{statistics.median(deviations):.3f}",
            f"{max(deviations):.3f}",
            f"{fast}/{len(results)} ({100 * fast / n:.1f}%)",
            f"{slow}/{len(results)}",
        )
    console.print(table)
    if drifts:
        ordered = sorted(drifts)
        console.print(
            f"drift of the original (fresh median / stored median): median {statistics.median(ordered):.3f}, "
            f"range {ordered[0]:.3f}-{ordered[-1]:.3f}; errors {errors}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", default="optbench-py")
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--profiles", default="quick,default")
    parser.add_argument(
        "--cost-problems", type=int, default=3, help="problems measured per profile for cost"
    )
    parser.add_argument(
        "--noise-limit",
        type=int,
        default=None,
        help="problems in the noise-floor pass (default all)",
    )
    parser.add_argument(
        "--noise-profiles", default="quick", help="comma list of profiles for the noise floor"
    )
    parser.add_argument("--skip", default="", help="comma list of: verify, cost, noise, mutants")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    dataset = load_dataset(args.dataset)
    problems = sorted(dataset.problems, key=lambda p: p.id)
    console.print(
        f"{dataset.name} {dataset.version}: {len(problems)} problems; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}"
    )

    if "verify" not in skip:
        count, elapsed = verification_throughput(problems, args.workers, args.examples)
        console.print(
            f"verification: {count} reference candidates, {args.examples} examples each, {args.workers} workers: "
            f"{elapsed:.1f} s, {count / elapsed * 60:.1f} candidates/min"
        )

    if "cost" not in skip:
        table = Table(title="measurement cost per candidate (baseline + candidate)")
        for column in ("profile", "problems", "mean s", "max s"):
            table.add_column(column)
        for profile in args.profiles.split(","):
            costs = []
            for problem in problems[: args.cost_problems]:
                start = time.perf_counter()
                measure(problem, problem.fast_source or problem.slow_source, profile)
                costs.append(time.perf_counter() - start)
            table.add_row(
                profile, str(len(costs)), f"{statistics.fmean(costs):.1f}", f"{max(costs):.1f}"
            )
        console.print(table)

    if "noise" not in skip:
        for profile in args.noise_profiles.split(","):
            noise_floor(problems[: args.noise_limit] if args.noise_limit else problems, profile)

    if "mutants" not in skip:
        items = mutants({p.id: p for p in problems})
        total, given_killed, ours_killed = kill_rates(items, args.workers, args.examples)
        console.print(
            f"mutation kill rate over {total} mutants of {len({p.id for p, _ in items})} problems: "
            f"given tests only {given_killed}/{total} ({100 * given_killed / max(total, 1):.0f}%), "
            f"optbench (edge examples + Hypothesis) {ours_killed}/{total} ({100 * ours_killed / max(total, 1):.0f}%)"
        )


if __name__ == "__main__":
    main()
