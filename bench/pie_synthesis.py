"""Input synthesis on real PIE pairs: how many imported problems get a synthesized
strategy, whether their workloads time the algorithm, whether the references agree
with the originals on synthesized inputs, and how many mutants of the slow programs the
given tests kill and, of those passing them, the synthesized inputs (mutation operators
and the equivalence oracle: ``mutation_ops.py``, ``mutation_check.py``).

    .venv/bin/python bench/pie_synthesis.py [--pairs PAIRS.jsonl --tests DIR]
        [--dataset IMPORTED_FOLDER] [--examples 200] [--mutants 3] [--seed 0]
        [--workers 2] [--problems p03634,p03034] [--checks mutants] [--json OUT.json]

Without --dataset it imports --pairs/--tests (default: ../shared/data/pie-dev) into a
temporary folder with synthesis, the way ``optbench datasets import pie`` does.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import re
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

from mutation_check import MutantResult, PairJob, as_json, check_pair, report
from scipy.stats import spearmanr

from optbench.core.problem import Problem
from optbench.datasets import load_dataset
from optbench.datasets.importers import import_pie, synthesize_inputs, write_problems
from optbench.datasets.synthesis.disagreement import classify, siblings_of
from optbench.datasets.synthesis.original import Original
from optbench.datasets.synthesis.provenance import checked_by, is_synthesized
from optbench.run.runner import DEFAULT_EXAMPLES
from optbench.verify import VerifyConfig, verify

EXAMPLES = DEFAULT_EXAMPLES["default"]
"""Generated inputs per verification: what a run with the ``default`` profile uses."""
TIMING_RUNS = 3
CHECKS = ("workloads", "agreement", "mutants", "speedups")
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pie-dev"
SLOW_MS = 50.0


# -- the checks, one problem each (in a process pool) ----------------------------------


def _workload_ms(problem: Problem) -> float:
    with Original(problem.slow_source) as original:
        run = original.run(problem.workload(), timeout=30.0)
    return run.elapsed * 1000 if run.accepted else -1.0


def _agreement(args: tuple[Problem, int, list[str]]) -> tuple[str, str, str]:
    """(verdict, input, classification) of the reference against the original; the
    other accepted solutions of the problem vote on a disagreement."""
    problem, examples, siblings = args
    verdict = verify(problem, problem.fast_source or "", VerifyConfig(max_examples=examples))
    if verdict.ok:
        return "agree", "", ""
    example = verdict.counterexample
    if example is None:
        return verdict.status.value, "", verdict.message[:300]
    try:
        found = classify(problem, example.full_input or example.input, siblings)
        label = f"{found.label}: {found.explanation}"
    except Exception as exc:
        label = f"not classified ({type(exc).__name__}: {exc})"
    return verdict.status.value, example.input, label


def _speedups(problem: Problem) -> tuple[float, float]:
    """The original's time over the reference's (best of :data:`TIMING_RUNS` sandboxed
    runs each) on the workload and on the largest given test; nan where either fails."""
    largest = max(problem.tests, key=lambda t: len(t.stdin)).stdin
    found = []
    assert problem.fast_source is not None
    with (
        Original(problem.slow_source) as original,
        Original(problem.fast_source, name="reference") as reference,
    ):
        for text in (problem.workload(), largest):
            best = [float("inf"), float("inf")]
            for _ in range(TIMING_RUNS):
                for index, program in enumerate((original, reference)):
                    run = program.run(text, timeout=30.0)
                    best[index] = min(best[index], run.elapsed if run.accepted else float("nan"))
            found.append(best[0] / max(best[1], 1e-6))
    return found[0], found[1]


def _pie_speedups(pairs: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """PIE's recorded speedups by (submission_id_v0, submission_id_v1): CodeNet's CPU
    times (``cpu_time_v0 / cpu_time_v1``) and PIE's own (``measured_runtime_v0 / _v1``)."""
    found = {}
    for line in pairs.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        key = (record["submission_id_v0"], record["submission_id_v1"])
        cpu = record["cpu_time_v0"] / max(record["cpu_time_v1"], 1)
        measured = record.get("measured_runtime_v0", 0.0) / max(
            record.get("measured_runtime_v1", 0.0), 1e-9
        )
        found[key] = (cpu, measured)
    return found


def _submissions(problem: Problem) -> tuple[str, str] | None:
    for note in problem.notes:
        found = re.search(r"submission_id_v0=(\w+), submission_id_v1=(\w+)", note)
        if found:
            return found.group(1), found.group(2)
    return None


def _report_speedups(
    problems: list[Problem], measured: list[tuple[float, float]], pairs: Path
) -> None:
    recorded = _pie_speedups(pairs)
    rows = []
    for problem, (synth, given) in zip(problems, measured, strict=True):
        key = _submissions(problem)
        if key in recorded and not (math.isnan(synth) or math.isnan(given)):
            same = _imports(problem.slow_source) == _imports(problem.fast_source or "")
            rows.append((synth, given, *recorded[key], same))
    print(
        f"pairs timed (both versions accepted the workload and the largest given test): {len(rows)}"
    )
    # CodeNet's and PIE's times include interpreter start-up and imports, which a timed
    # value here leaves out: pairs whose versions import different modules (most often
    # one drops numpy) differ there by their imports alone
    subsets = (("all pairs", rows), ("pairs importing the same modules", [r for r in rows if r[4]]))
    for title, subset in subsets:
        print(f"  {title} ({len(subset)}):")
        if len(subset) < 3:
            continue
        columns = list(zip(*subset, strict=True))
        for name, index in (("synthesized workload", 0), ("largest given test", 1)):
            for source, other in (("CodeNet cpu_time", 2), ("PIE measured_runtime", 3)):
                rho, p_value = spearmanr(columns[index], columns[other])
                print(
                    f"    Spearman rho, speedup on the {name} vs {source}: "
                    f"{rho:+.2f} (p = {p_value:.2g})"
                )


def _imports(source: str) -> set[str]:
    """Top-level modules a source imports (empty when it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def _report_workloads(problems: list[Problem], times: list[float]) -> None:
    slow = [p for p, ms in zip(problems, times, strict=True) if ms >= SLOW_MS]
    print("\n== workloads (the original's time on workload(), sandboxed, one run)")
    print(
        f"original >= {SLOW_MS:.0f} ms: {len(slow)} of {len(problems)} "
        f"({100 * len(slow) / len(problems):.0f}%)"
    )
    for problem, ms in zip(problems, times, strict=True):
        if ms < SLOW_MS:
            note = next(
                (n for n in problem.notes if n.startswith("workload at")), "given tests only"
            )
            print(f"  {problem.id}: {ms:.1f} ms ({note})")


def _report_agreement(synthesized: list[Problem], outcomes: list[tuple[str, str, str]]) -> None:
    agree = sum(o[0] == "agree" for o in outcomes)
    counted = sum(o[0] != "agree" and "reference wrong" in o[2] for o in outcomes)
    print(
        f"agree: {agree} of {len(synthesized)} ({100 * agree / max(1, len(synthesized)):.1f}%); "
        f"disagreements counting against the reference: {counted}"
    )
    for problem, (status, example, label) in zip(synthesized, outcomes, strict=True):
        if status != "agree":
            print(f"  {problem.id}: {status}: {label}\n    input: {example[:300]!r}")


def _mutation_check(
    pool: ProcessPoolExecutor,
    synthesized: list[Problem],
    problems: list[Problem],
    args: argparse.Namespace,
) -> list[MutantResult]:
    jobs = [
        PairJob(p, args.mutants, args.examples, args.seed, siblings_of(p, problems))
        for p in synthesized
    ]
    futures = {pool.submit(check_pair, job): index for index, job in enumerate(jobs)}
    found: list[list[MutantResult]] = [[] for _ in jobs]
    for done, future in enumerate(as_completed(futures), 1):
        found[futures[future]] = future.result()
        print(f"  [{done}/{len(jobs)}] {jobs[futures[future]].problem.id}", flush=True)
    return [row for per in found for row in per]


# -- report ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=DATA / "pairs.jsonl")
    parser.add_argument("--tests", type=Path, default=DATA / "tests")
    parser.add_argument("--dataset", type=Path, default=None, help="An already imported folder.")
    parser.add_argument(
        "--examples",
        type=int,
        default=EXAMPLES,
        help="Generated inputs per verification (default: the 'default' profile's).",
    )
    parser.add_argument(
        "--mutants", type=int, default=3, help="Mutants passing the given tests, per pair."
    )
    parser.add_argument("--seed", type=int, default=0, help="Seed of the mutant order.")
    parser.add_argument(
        "--json", type=Path, default=None, help="Write every mutant's result to this file."
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--problems", default="", help="Comma-separated PIE problem ids to keep (default: all)."
    )
    parser.add_argument(
        "--checks", default=",".join(CHECKS), help=f"Which checks to run, of {', '.join(CHECKS)}."
    )
    args = parser.parse_args()
    checks = set(args.checks.split(","))
    if not checks <= set(CHECKS):
        parser.error(f"--checks: unknown {', '.join(sorted(checks - set(CHECKS)))}")

    started = time.monotonic()
    folder = args.dataset
    if folder is None:
        pairs = args.pairs
        if args.problems:
            keep = set(args.problems.split(","))
            lines = pairs.read_text(encoding="utf-8").splitlines()
            pairs = Path(tempfile.mkdtemp(prefix="pie-pairs-")) / "pairs.jsonl"
            pairs.write_text(
                "".join(f"{line}\n" for line in lines if json.loads(line)["problem_id"] in keep),
                encoding="utf-8",
            )
        imported, errors = import_pie(pairs, args.tests)
        synthesize_inputs(imported, workers=args.workers)
        folder = Path(tempfile.mkdtemp(prefix="pie-synthesis-")) / "pie"
        write_problems(imported, folder, "pie")
        print(
            f"imported {len(imported)} pairs ({len(errors)} skipped) in {time.monotonic() - started:.0f} s"
        )
    dataset = load_dataset(folder)
    problems = dataset.problems
    if args.problems:
        keep = set(args.problems.split(","))
        problems = [p for p in problems if p.id.rsplit("-", 1)[0] in keep]
    synthesized = [p for p in problems if is_synthesized(p)]
    given_only = [p for p in problems if not is_synthesized(p)]
    ids = {p.id.rsplit("-", 1)[0] for p in problems}
    synth_ids = {p.id.rsplit("-", 1)[0] for p in synthesized}

    print(f"\n== strategies ({folder})")
    print(
        f"pairs: {len(synthesized)} synthesized, {len(given_only)} given tests only (of {len(problems)})"
    )
    print(
        f"problems: {len(synth_ids)} of {len(ids)} with a synthesized strategy for at least one pair"
    )
    for problem in given_only:
        print(f"  given tests only: {problem.id}: {checked_by(problem)}")

    context = get_context("spawn")
    with ProcessPoolExecutor(args.workers, mp_context=context) as pool:
        if "workloads" in checks:
            _report_workloads(problems, list(pool.map(_workload_ms, problems)))
        if "agreement" in checks:
            print(
                f"\n== reference vs original on synthesized inputs ({args.examples} examples each)"
            )
            jobs = [(p, args.examples, siblings_of(p, problems)) for p in synthesized]
            outcomes = list(pool.map(_agreement, jobs))
            _report_agreement(synthesized, outcomes)
        if "mutants" in checks:
            print(
                f"\n== mutants of the slow programs that pass the given tests "
                f"(<= {args.mutants} per pair, {args.examples} examples per verification)"
            )
            rows = _mutation_check(pool, synthesized, problems, args)
            report(rows, args.examples)
            if args.json is not None:
                args.json.write_text(json.dumps(as_json(rows), indent=1), encoding="utf-8")
        if "speedups" in checks:
            print(
                "\n== reference speedups (original / reference, best of "
                f"{TIMING_RUNS} sandboxed runs) against PIE's recorded ones"
            )
            timed = [p for p in problems if p.fast_source is not None and p.tests]
            _report_speedups(timed, list(pool.map(_speedups, timed)), args.pairs)
    print(f"\ntotal {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
