"""Every model-using technique with one real model and an equal token budget.

Each technique runs as its own ``optbench run`` (one after another, all into one SQLite
database) on the same problems, with the same seed, the same reply length
(``max_new_tokens``) and the same token budget per (technique, problem): ``--tokens``,
prompt and reply tokens together, enforced by the model layer across the technique's calls
(each call's reply is cut to the tokens left; only the prompt of the last call may go
past). ``--rounds`` and ``--samples`` are set high enough that the budget, not the
technique's own limits, ends the iterative techniques (``feedback``, ``search``,
``evolve``) and sets ``best_of_n``'s n. Runs use ``--no-cache``: a cached reply is free
under the budget, so reusing one technique's replies in another would give it more.

Printed (Markdown, for ``bench/RESULTS.md``): per technique %Correct, %Opt and Speedup
(PIE's metrics, 95% bootstrap intervals over problems), the no-code rate over replies
(Wilson interval), tokens and generation time per problem (bootstrap intervals), and %Opt
per 1k tokens (the ratio of the means, paired bootstrap over problems), with each run's
wall time and the load average around it.

    OMP_NUM_THREADS=1 python bench/real_model_techniques.py --limit 3

Rerunning the same command continues: a technique whose run finished is not run again, an
interrupted one is resumed. ``--report-only`` prints the table from the database as it is.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optbench.stats import bootstrap_ci, mean

ORDER = (
    "zero_shot",
    "cot",
    "few_shot",
    "perf_conditioned",
    "rag",
    "profile_guided",
    "best_of_n",
    "feedback",
    "search",
    "evolve",
)
"""The order the techniques run in: single calls first, iterative ones last."""


def model_techniques() -> list[str]:
    """Every technique of the catalogue that calls a model, in :data:`ORDER` (techniques
    the order does not name last)."""
    from optbench.techniques.registry import list_techniques

    names = {t.name for t in list_techniques() if t.uses_model}
    rank = {name: i for i, name in enumerate(ORDER)}
    return sorted(names, key=lambda name: (rank.get(name, len(ORDER)), name))


OPTBENCH = [sys.executable, "-m", "optbench.cli"]
RUN_PREFIX = "equal-budget"


@dataclass(frozen=True)
class Plan:
    model: str
    limit: int
    profile: str
    tokens: int
    max_new_tokens: int
    samples: int
    rounds: int
    seed: int
    examples: int | None
    workers: int


def label(technique: str, plan: Plan) -> str:
    return f"{technique}(max_new_tokens={plan.max_new_tokens})"


def run_name(technique: str, plan: Plan) -> str:
    return f"{RUN_PREFIX} {technique} {plan.model} tokens={plan.tokens} limit={plan.limit}"


def optbench(args: Sequence[str], db: Path, *, capture: bool = False) -> str:
    cmd = [*OPTBENCH, *args, "--db", f"sqlite:///{db}"]
    result = subprocess.run(cmd, capture_output=capture, text=True)
    if result.returncode != 0:
        tail = (result.stderr or "")[-3000:] if capture else ""
        raise SystemExit(f"optbench {' '.join(args[:1])} failed (exit {result.returncode}){tail}")
    return result.stdout if capture else ""


def stored_runs(db: Path) -> dict[str, tuple[int, str, float | None]]:
    """Run name → (id, status, wall seconds from its start to its end) of the runs in ``db``."""
    if not db.exists():
        return {}
    from optbench.store import open_store

    with open_store(f"sqlite:///{db}") as store:
        runs = {}
        for r in store.list_runs():
            if r.name:
                start = r.started_at or r.created_at
                wall = (r.ended_at - start).total_seconds() if r.ended_at else None
                runs[r.name] = (r.id, r.status, wall)
        return runs


def run_technique(technique: str, plan: Plan, db: Path) -> dict[str, Any]:
    """One technique's run (or its resumption); its wall time and the load around it."""
    name = run_name(technique, plan)
    known = stored_runs(db).get(name)
    if known is not None and known[1] == "finished":
        print(f"== {technique}: run {known[0]} already finished", flush=True)
        return {"technique": technique, "run_id": known[0], "wall_s": known[2], "load": None}
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    if known is not None:
        print(f"== {technique}: resuming run {known[0]}", flush=True)
        optbench(["run", "--resume", str(known[0])], db)
    else:
        print(f"== {technique}: {name}", flush=True)
        args = ["run", "--name", name, "--model", plan.model, "--technique", label(technique, plan)]
        args += ["--limit", str(plan.limit), "--profile", plan.profile, "--seed", str(plan.seed)]
        args += ["--tokens", str(plan.tokens), "--samples", str(plan.samples)]
        args += ["--rounds", str(plan.rounds), "--workers", str(plan.workers), "--no-cache"]
        if plan.examples is not None:
            args += ["--examples", str(plan.examples)]
        optbench(args, db)
    wall = time.monotonic() - started
    load = (load_before, os.getloadavg()[0])
    run_id = stored_runs(db)[name][0]
    print(f"== {technique}: run {run_id}, {wall / 60:.1f} min, load {load[0]:.1f}→{load[1]:.1f}")
    return {"technique": technique, "run_id": run_id, "wall_s": wall, "load": load}


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion (in percent)."""
    if n == 0:
        return math.nan, math.nan
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def interval(values: Sequence[float]) -> tuple[float, float, float]:
    low, high = bootstrap_ci(values)
    return mean(values), low, high


def opt_per_1k(problems: Sequence[dict[str, Any]]) -> tuple[float, float, float]:
    """%Opt per 1,000 tokens: 100 × (problems optimized) / (tokens spent / 1000), the
    ratio of the two means, with a paired bootstrap over problems."""

    def ratio(indices: Sequence[float]) -> float:
        rows = [problems[int(i)] for i in indices]
        spent = math.fsum(r["tokens_in"] + r["tokens_out"] for r in rows)
        optimized = sum(1 for r in rows if r["optimized"])
        return 100 * optimized / (spent / 1000) if spent else math.nan

    indices = [float(i) for i in range(len(problems))]
    low, high = bootstrap_ci(indices, ratio)
    return ratio(indices), low, high


def fmt(value: float, low: float, high: float, digits: int = 1) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def table(db: Path, runs: Sequence[dict[str, Any]]) -> str:
    """The Markdown table of the finished runs in ``runs``."""
    ids = [str(r["run_id"]) for r in runs]
    if not ids:
        return "(no finished run yet)"
    rows = json.loads(optbench(["report", *ids, "--format", "json"], db, capture=True))["rows"]
    per_problem = json.loads(
        optbench(["report", *ids, "--format", "json", "--per-problem"], db, capture=True)
    )["rows"]
    by_label = {r["technique"]: r for r in rows}
    lines = [
        "| technique | problems | %Correct | %Opt | Speedup | replies: eq. / not eq. / error / "
        "no code | no-code % | tokens / problem | gen. s / problem | %Opt per 1k tokens | "
        "run wall (min), load |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        technique = run["technique"]
        matches = [r for lbl, r in by_label.items() if lbl.split("(", 1)[0] == technique]
        if not matches:
            continue
        row = matches[0]
        mine = [p for p in per_problem if p["technique"] == row["technique"]]
        tokens = [float(p["tokens_in"] + p["tokens_out"]) for p in mine]
        seconds = [float(p["gen_time_s"]) for p in mine]
        replies = row["candidates"]
        no_code = row.get("verdict_no_code", 0)
        wall = "–" if run["wall_s"] is None else f"{run['wall_s'] / 60:.1f}"
        if run.get("load"):
            wall += f", {run['load'][0]:.1f}→{run['load'][1]:.1f}"
        verdicts = " / ".join(
            str(row.get(f"verdict_{kind}", 0))
            for kind in ("equivalent", "not_equivalent", "error", "no_code")
        )
        lines.append(
            "| "
            + " | ".join(
                [
                    technique,
                    str(row["problems"]),
                    fmt(row["correct_pct"], row["correct_pct_low"], row["correct_pct_high"], 0),
                    fmt(row["opt_pct"], row["opt_pct_low"], row["opt_pct_high"], 0),
                    fmt(row["speedup_mean"], row["speedup_mean_low"], row["speedup_mean_high"], 2),
                    verdicts,
                    fmt(
                        100 * no_code / replies if replies else math.nan,
                        *wilson(no_code, replies),
                        0,
                    ),
                    fmt(*interval(tokens), 0),
                    fmt(*interval(seconds), 0),
                    fmt(*opt_per_1k(mine), 2),
                    wall,
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(
            "Run every model-using technique with one model, the same problems and an equal "
            "token budget per (technique, problem); print %Correct, %Opt, Speedup, no-code "
            "rate, tokens, generation time and %Opt per 1k tokens, with intervals."
        )
    )
    parser.add_argument("--model", default="hf:smollm2-135m", help="model spec")
    parser.add_argument("--limit", type=int, default=3, help="first N eval problems")
    parser.add_argument("--profile", default="quick", help="measurement profile")
    parser.add_argument(
        "--tokens",
        type=int,
        default=3000,
        help="token budget (prompt + reply) per (technique, problem)",
    )
    parser.add_argument("--max-new-tokens", type=int, default=320, help="reply length limit")
    parser.add_argument(
        "--samples", type=int, default=4, help="best_of_n's n (the run's --samples)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=8,
        help="rounds of feedback / iterations of search and evolve (the budget ends them first)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--examples", type=int, default=None, help="Hypothesis examples")
    parser.add_argument("--workers", type=int, default=1, help="verification processes")
    known = model_techniques()
    parser.add_argument(
        "--techniques",
        default=",".join(known),
        help="comma-separated subset (default: every model-using technique)",
    )
    parser.add_argument(
        "--db", type=Path, default=Path("real-model-techniques.db"), help="SQLite file"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="print the table of the runs stored"
    )
    args = parser.parse_args(argv)
    techniques = [t.strip() for t in args.techniques.split(",") if t.strip()]
    unknown = sorted(set(techniques) - set(known))
    if unknown:
        parser.error(f"not a model-using technique: {', '.join(unknown)}")
    for name in ("limit", "tokens", "max_new_tokens", "samples", "rounds", "workers"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    plan = Plan(
        model=args.model,
        limit=args.limit,
        profile=args.profile,
        tokens=args.tokens,
        max_new_tokens=args.max_new_tokens,
        samples=args.samples,
        rounds=args.rounds,
        seed=args.seed,
        examples=args.examples,
        workers=args.workers,
    )
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    started = time.monotonic()
    runs: list[dict[str, Any]] = []
    if args.report_only:
        stored = stored_runs(args.db)
        for technique in techniques:
            found = stored.get(run_name(technique, plan))
            if found is not None and found[1] == "finished":
                runs.append({"technique": technique, "run_id": found[0], "wall_s": found[2]})
    else:
        for technique in techniques:
            runs.append(run_technique(technique, plan, args.db))
            print(table(args.db, runs), flush=True)
    print(
        f"\n{plan.model}, {plan.limit} eval problems, {plan.profile} profile, token budget "
        f"{plan.tokens} per (technique, problem), replies of at most {plan.max_new_tokens} "
        f"tokens, samples {plan.samples}, rounds {plan.rounds}, seed {plan.seed}; "
        f"{(time.monotonic() - started) / 60:.1f} min wall\n"
    )
    print(table(args.db, runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
