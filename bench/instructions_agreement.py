"""Do instruction counts rank candidates as the clock does? And what do they cost?

For every problem of a dataset (optbench-py by default), the ``instructions`` profile
measures the original's count (baseline), then the identity (the original itself) and the
reference (``fast.py``) in one session; the wall-clock speedup of the reference comes
from the ``quick`` profile (measured here), from a stored run (``--db URL`` with a run
of the ``reference`` technique), or from the ``--json`` rows of an earlier run of this
script (``--wall-from FILE``, for problems it has). Printed:

* per problem: the reference's instruction ratio and wall-clock speedup, identity's
  |ratio - 1|, start-up counts of the two sessions, and the seconds each took;
* Spearman's rank correlation of the two speedups over the problems, and the problems
  where they disagree most (largest |log(instruction ratio / wall speedup)|);
* the spread of identity and of start-up (what ``SPREAD_REL`` and ``SPREAD_ABS`` in
  :mod:`optbench.measure.instructions` rest on), and the cost per candidate.

    python bench/instructions_agreement.py [--limit N] [--problems a,b] [--dataset NAME]
        [--db URL [--run ID]] [--wall-from FILE] [--json FILE]

Record the figures in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from optbench.core import Problem
from optbench.datasets import load_dataset
from optbench.measure import (
    CandidateMeasurement,
    MeasurementError,
    measure,
    measure_baseline,
    measure_candidates,
)


@dataclass
class Row:
    problem: str
    kind: str
    native_s: float
    """The original's native time on the workload (the probe)."""
    original_instr: float
    reference_instr: float
    instr_ratio: float
    instr_low: float
    instr_high: float
    identity_ratio: float
    identity_significant: bool
    startup_baseline: int
    startup_session: int
    wall_speedup: float | None
    wall_low: float | None
    wall_high: float | None
    baseline_s: float
    """Wall seconds of the original's count (probe, start-up, count)."""
    session_s: float
    """Wall seconds of the session that counted identity and the reference together."""
    quick_s: float | None
    """Wall seconds of the quick profile's measurement of the reference (baseline too)."""

    @property
    def identity_error(self) -> float:
        return abs(self.identity_ratio - 1.0)

    @property
    def disagreement(self) -> float:
        if not self.wall_speedup or self.wall_speedup <= 0:
            return math.nan
        return abs(math.log(self.instr_ratio / self.wall_speedup))


def ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rho: Pearson's correlation of the ranks."""
    if len(xs) < 3:
        return math.nan
    rx, ry = ranks(xs), ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    var = math.sqrt(sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))
    return cov / var if var else math.nan


def stored_speedups(db: str, run: str | None) -> dict[str, tuple[float, float, float]]:
    """The reference technique's speedup per problem (with its interval) in a stored run,
    from ``optbench report --per-problem``."""
    argv = [sys.executable, "-m", "optbench.cli", "report", "--format", "json", "--per-problem"]
    argv += ["--unclamped", "--db", db, *([run] if run else [])]
    rows = json.loads(subprocess.run(argv, capture_output=True, text=True, check=True).stdout)[
        "rows"
    ]
    found: dict[str, tuple[float, float, float]] = {}
    for row in rows:
        if row.get("technique") != "reference" or row.get("speedup") is None:
            continue
        name = str(row.get("problem_id") or row.get("problem") or "").split("/")[-1]
        if row.get("confirmed_speedup") is not None:  # the figure the report states
            keys = ("confirmed_speedup", "confirmed_ci_low", "confirmed_ci_high")
        else:
            keys = ("speedup", "speedup_ci_low", "speedup_ci_high")
        value = float(row[keys[0]])
        found[name] = (value, float(row.get(keys[1]) or value), float(row.get(keys[2]) or value))
    return found


def earlier_speedups(path: Path) -> dict[str, tuple[float, float, float, float | None]]:
    """Wall-clock speedups (with interval and cost) from this script's ``--json`` rows."""
    return {
        row["problem"]: (row["wall_speedup"], row["wall_low"], row["wall_high"], row["quick_s"])
        for row in json.loads(path.read_text())
        if row.get("wall_speedup")
    }


def measure_problem(
    problem: Problem,
    stored: dict[str, tuple[float, float, float]] | None,
    earlier: dict[str, tuple[float, float, float, float | None]],
) -> Row | str:
    assert problem.fast_source is not None
    started = time.monotonic()
    baseline = measure_baseline(problem, "instructions")
    baseline_s = time.monotonic() - started
    started = time.monotonic()
    identity, reference = measure_candidates(
        problem, [problem.slow_source, problem.fast_source], "instructions", baseline
    )
    session_s = time.monotonic() - started
    for name, result in (("identity", identity), ("reference", reference)):
        if isinstance(result, MeasurementError):
            return f"{name}: {result}"
    assert isinstance(identity, CandidateMeasurement)
    assert isinstance(reference, CandidateMeasurement)
    wall: tuple[float, float, float] | None = None
    quick_s: float | None = None
    if stored is not None:
        wall = stored.get(problem.id)
    elif problem.id in earlier:
        *wall_found, quick_s = earlier[problem.id]
        wall = (wall_found[0], wall_found[1], wall_found[2])
    else:
        started = time.monotonic()
        timed = measure(problem, problem.fast_source, "quick", memory=False)
        quick_s = time.monotonic() - started
        wall = (timed.time.ratio, timed.time.ci_low, timed.time.ci_high)
    counts = reference.details["instructions"]
    return Row(
        problem=problem.id,
        kind=problem.kind.value,
        native_s=round(baseline.single_s, 4),
        original_instr=baseline.time_values[0],
        reference_instr=reference.time.candidate.values[0],
        instr_ratio=reference.time.ratio,
        instr_low=reference.time.ci_low,
        instr_high=reference.time.ci_high,
        identity_ratio=identity.time.ratio,
        identity_significant=identity.time.significant,
        startup_baseline=int(counts["baseline_startup"]),
        startup_session=int(counts["startup"]),
        wall_speedup=wall[0] if wall else None,
        wall_low=wall[1] if wall else None,
        wall_high=wall[2] if wall else None,
        baseline_s=round(baseline_s, 1),
        session_s=round(session_s, 1),
        quick_s=round(quick_s, 1) if quick_s is not None else None,
    )


def fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_report(rows: list[Row], failures: dict[str, str], wall_source: str) -> None:
    print("\n| problem | kind | native s | instr ratio | wall speedup | identity \\|r-1\\| "
          "| start-up diff | baseline s | session s | quick s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r.problem} | {r.kind} | {r.native_s:.3f} | {r.instr_ratio:.2f} "
            f"| {fmt(r.wall_speedup)} [{fmt(r.wall_low)}, {fmt(r.wall_high)}] "
            f"| {r.identity_error:.2e} | {abs(r.startup_baseline - r.startup_session)} "
            f"| {r.baseline_s} | {r.session_s} | {fmt(r.quick_s, 1)} |"
        )
    for name, why in failures.items():
        print(f"| {name} | failed: {why[:150]} |")
    paired = [r for r in rows if r.wall_speedup]
    rho = spearman([r.instr_ratio for r in paired], [r.wall_speedup or 0.0 for r in paired])
    print(f"\nproblems: {len(rows)} counted, {len(failures)} failed; wall speedups from "
          f"{wall_source}")  # fmt: skip
    print(f"Spearman rho (reference's instruction ratio vs wall-clock speedup, "
          f"{len(paired)} problems): {rho:.3f}")  # fmt: skip
    ratios = [r.instr_ratio / (r.wall_speedup or 1.0) for r in paired]
    if ratios:
        print(
            "instruction ratio / wall speedup: median "
            f"{statistics.median(ratios):.2f}, range {min(ratios):.2f}-{max(ratios):.2f}"
        )
    print("largest disagreements (|log(instr ratio / wall speedup)|):")
    for r in sorted(paired, key=lambda r: -r.disagreement)[:8]:
        print(
            f"  {r.problem:<28} instr {r.instr_ratio:9.2f}  wall {fmt(r.wall_speedup):>9}  "
            f"x{r.instr_ratio / (r.wall_speedup or 1.0):.2f}"
        )
    if rows:
        errors = [r.identity_error for r in rows]
        startups = [abs(r.startup_baseline - r.startup_session) for r in rows]
        rel_startup = [
            abs(r.startup_baseline - r.startup_session) / r.startup_session for r in rows
        ]
        print(
            f"identity |ratio - 1|: max {max(errors):.2e}, median {statistics.median(errors):.2e}; "
            f"significant {sum(r.identity_significant for r in rows)}/{len(rows)}"
        )
        print(
            f"start-up count, baseline vs session: max diff {max(startups)} instructions "
            f"(relative {max(rel_startup):.1e}), median {statistics.median(startups):.0f}"
        )
        per_candidate = [r.session_s / 2 for r in rows]
        print(
            f"cost: baseline median {statistics.median(r.baseline_s for r in rows):.1f} s; "
            f"per candidate (session of 2, start-up shared) median "
            f"{statistics.median(per_candidate):.1f} s, max {max(per_candidate):.1f} s"
        )
        quick = [r.quick_s for r in rows if r.quick_s is not None]
        if quick:
            print(
                f"quick profile, baseline + one candidate: median {statistics.median(quick):.1f} s"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", default="optbench-py")
    parser.add_argument("--limit", type=int, default=None, help="first N problems only")
    parser.add_argument("--problems", default="", help="comma-separated problem ids")
    parser.add_argument("--db", default=None, help="read wall-clock speedups from this run db")
    parser.add_argument("--run", default=None, help="run id in --db (default: the latest)")
    parser.add_argument("--wall-from", type=Path, default=None, help="--json rows to reuse")
    parser.add_argument("--json", type=Path, default=None, help="write the rows here")
    args = parser.parse_args()
    dataset = load_dataset(args.dataset)
    wanted = {p for p in args.problems.split(",") if p}
    problems = [
        p for p in dataset.problems if p.fast_source is not None and (not wanted or p.id in wanted)
    ]
    problems = problems[: args.limit] if args.limit else problems
    stored = stored_speedups(args.db, args.run) if args.db else None
    earlier = earlier_speedups(args.wall_from) if args.wall_from else {}
    rows: list[Row] = []
    failures: dict[str, str] = {}
    started = time.monotonic()
    for index, problem in enumerate(problems, 1):
        try:
            result = measure_problem(problem, stored, earlier)
        except MeasurementError as exc:
            result = str(exc)
        if isinstance(result, str):
            failures[problem.id] = result
            print(f"[{index}/{len(problems)}] {problem.id}: failed: {result}", flush=True)
            continue
        rows.append(result)
        print(
            f"[{index}/{len(problems)}] {problem.id}: instr {result.instr_ratio:.2f} "
            f"wall {fmt(result.wall_speedup)} identity {result.identity_ratio:.6f} "
            f"({result.baseline_s + result.session_s:.0f} s)",
            flush=True,
        )
        if args.json:
            args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    print(f"\ntotal {time.monotonic() - started:.0f} s")
    source = f"the stored run in {args.db}" if args.db else "the quick profile"
    if args.wall_from and not args.db:
        source += f" (from {args.wall_from} where it has them)"
    print_report(rows, failures, source)


if __name__ == "__main__":
    main()
