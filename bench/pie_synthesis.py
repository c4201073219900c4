"""Input synthesis on real PIE pairs: how many imported problems get a synthesized
strategy, whether their workloads time the algorithm, whether the references agree
with the originals on synthesized inputs, and how many mutants of the slow programs that
pass the given tests the synthesized inputs kill.

    .venv/bin/python bench/pie_synthesis.py [--pairs PAIRS.jsonl --tests DIR]
        [--dataset IMPORTED_FOLDER] [--examples 60] [--mutants 3] [--workers 2]
        [--problems p03634,p03034]

Without --dataset it imports --pairs/--tests (default: ../shared/data/pie-dev) into a
temporary folder with synthesis, the way ``optbench datasets import pie`` does.
"""

from __future__ import annotations

import argparse
import ast
import copy
import dataclasses
import json
import math
import random
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import ClassVar

from scipy.stats import spearmanr

from optbench.core.problem import Problem
from optbench.datasets import load_dataset
from optbench.datasets.importers import import_pie, synthesize_inputs, write_problems
from optbench.datasets.synthesis.disagreement import classify, siblings_of
from optbench.datasets.synthesis.draw import RandomDraw
from optbench.datasets.synthesis.narrow import same_answer
from optbench.datasets.synthesis.original import Original
from optbench.datasets.synthesis.provenance import checked_by, is_synthesized
from optbench.datasets.synthesis.sampling import small_samples
from optbench.verify import VerifyConfig, verify

EQUIVALENCE_SAMPLES = 100
TIMING_RUNS = 3
CHECKS = ("workloads", "agreement", "mutants", "speedups")
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pie-dev"
SLOW_MS = 50.0


# -- mutants ---------------------------------------------------------------------------


class _Mutator(ast.NodeTransformer):
    """Applies the ``target``-th possible mutation (counting in visiting order)."""

    SWAPS: ClassVar[dict[type, type]] = {
        ast.Lt: ast.LtE,
        ast.LtE: ast.Lt,
        ast.Gt: ast.GtE,
        ast.GtE: ast.Gt,
    }

    def __init__(self, target: int) -> None:
        self.target = target
        self.seen = 0
        self.what = ""

    def _hit(self, what: str) -> bool:
        self.seen += 1
        if self.seen - 1 == self.target:
            self.what = what
            return True
        return False

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        for index, op in enumerate(node.ops):
            swap = self.SWAPS.get(type(op))
            if swap is not None and self._hit(
                f"line {node.lineno}: {type(op).__name__} -> {swap.__name__}"
            ):
                node.ops[index] = swap()
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "range" and node.args:
            end = 0 if len(node.args) == 1 else 1
            for delta in (-1, 1):
                if self._hit(f"line {node.lineno}: range bound {delta:+d}"):
                    node.args[end] = ast.BinOp(node.args[end], ast.Add(), ast.Constant(delta))
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if (
            isinstance(node.slice, ast.Slice)
            and node.slice.upper is None
            and node.slice.step is None
        ) and self._hit(f"line {node.lineno}: slice drops its last element"):
            node.slice.upper = ast.UnaryOp(ast.USub(), ast.Constant(1))
        return node


def mutants(source: str) -> Iterator[tuple[str, str]]:
    """Every single mutation of ``source``: (description, mutated source)."""
    tree = ast.parse(source)
    counter = _Mutator(-1)
    counter.visit(copy.deepcopy(tree))
    for target in range(counter.seen):
        mutator = _Mutator(target)
        mutated = ast.fix_missing_locations(mutator.visit(copy.deepcopy(tree)))
        yield mutator.what, ast.unparse(mutated)


def passes_given(problem: Problem, code: str) -> bool:
    with Original(code, name="mutant") as mutant:
        for test in problem.tests:
            run = mutant.run(test.stdin, timeout=5.0)
            expected = test.expected_stdout
            if not run.accepted or expected is None or run.stdout.split() != expected.split():
                return False
    return True


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
        found = classify(problem, example.input, siblings)
        label = f"{found.label}: {found.explanation}"
    except Exception as exc:
        label = f"not classified ({type(exc).__name__}: {exc})"
    return verdict.status.value, example.input, label


def _mutation(args: tuple[Problem, int, int, int]) -> list[tuple[str, bool, bool, bool]]:
    """For up to ``per_problem`` mutants that pass the given tests: (what, killed by the
    given tests, killed by the synthesized strategy, told apart by some input). The given
    tests kill none of those by construction; ``killed by given`` reports the verifier's
    own given-tests stage."""
    problem, per_problem, examples, seed = args
    survivors = []
    candidates = list(mutants(problem.slow_source))
    random.Random(seed).shuffle(candidates)
    for what, code in candidates:
        if len(survivors) >= per_problem:
            break
        if passes_given(problem, code):
            survivors.append((what, code))
    given_only = dataclasses.replace(
        problem, inputs_source=None, content_hash=problem.content_hash + "-given"
    )
    found = []
    for what, code in survivors:
        by_given = not verify(given_only, code, VerifyConfig(max_examples=examples)).ok
        verdict = verify(problem, code, VerifyConfig(max_examples=examples))
        killed = not verdict.ok
        found.append((what, by_given, killed, killed or _distinguished(problem, code)))
    return found


def _distinguished(problem: Problem, code: str) -> bool:
    """Whether any of ~200 further inputs of the synthesized strategy (small, at the
    edges, and at up to a tenth of the workload's scale) tells the mutant from the
    original: a mutant none of them tells apart is presumed equivalent."""
    namespace: dict[str, object] = {}
    exec(compile(problem.inputs_source or "", problem.inputs_filename, "exec"), namespace)
    build = namespace["build"]
    scale = float(namespace.get("WORKLOAD_SCALE", 1.0))  # type: ignore[arg-type]
    texts = small_samples(build, EQUIVALENCE_SAMPLES)  # type: ignore[arg-type]
    texts += [
        build(RandomDraw(random.Random(seed)), 1 + (scale - 1) * fraction)  # type: ignore[operator]
        for seed, fraction in enumerate((0.001, 0.01, 0.03, 0.1))
    ]
    with Original(problem.slow_source) as original, Original(code, name="mutant") as mutant:
        for text in texts:
            expected = original.run(text)
            if not expected.accepted:
                continue
            actual = mutant.run(text)
            if not actual.accepted or not same_answer(expected.stdout, actual.stdout):
                return True
    return False


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
            rows.append((synth, given, *recorded[key]))
    print(
        f"pairs timed (both versions accepted the workload and the largest given test): {len(rows)}"
    )
    if len(rows) < 3:
        return
    columns = list(zip(*rows, strict=True))
    for name, index in (("synthesized workload", 0), ("largest given test", 1)):
        for source, other in (("CodeNet cpu_time", 2), ("PIE measured_runtime", 3)):
            rho, p_value = spearmanr(columns[index], columns[other])
            print(
                f"  Spearman rho, speedup on the {name} vs {source}: {rho:+.2f} (p = {p_value:.2g})"
            )


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


def _report_mutants(
    synthesized: list[Problem], found: list[list[tuple[str, bool, bool, bool]]]
) -> None:
    rows = [row for per in found for row in per]
    by_given = sum(r[1] for r in rows)
    by_synth = sum(r[2] for r in rows)
    total = max(1, len(rows))
    print(
        f"mutants: {len(rows)}; killed by the given tests alone {by_given} "
        f"({100 * by_given / total:.0f}%), by the synthesized strategy {by_synth} "
        f"({100 * by_synth / total:.0f}%)"
    )
    distinct = sum(r[3] for r in rows)
    print(
        f"mutants some input tells apart (the rest presumed equivalent: no difference on "
        f"~{2 * EQUIVALENCE_SAMPLES + 4} further inputs): {distinct}; killed among them "
        f"{by_synth} ({100 * by_synth / max(1, distinct):.0f}%)"
    )
    kinds = Counter(what.split(": ", 1)[1] for what, _, killed, _ in rows if not killed)
    for problem, per in zip(synthesized, found, strict=True):
        for what, _, killed, told in per:
            if not killed:
                note = "" if told else " (presumed equivalent)"
                print(f"  survived: {problem.id}: {what}{note}")
    if kinds:
        print("surviving kinds: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))


# -- report ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=DATA / "pairs.jsonl")
    parser.add_argument("--tests", type=Path, default=DATA / "tests")
    parser.add_argument("--dataset", type=Path, default=None, help="An already imported folder.")
    parser.add_argument("--examples", type=int, default=60)
    parser.add_argument("--mutants", type=int, default=3, help="Surviving mutants per problem.")
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
        problems, errors = import_pie(pairs, args.tests)
        synthesize_inputs(problems, workers=args.workers)
        folder = Path(tempfile.mkdtemp(prefix="pie-synthesis-")) / "pie"
        write_problems(problems, folder, "pie")
        print(
            f"imported {len(problems)} pairs ({len(errors)} skipped) in {time.monotonic() - started:.0f} s"
        )
    dataset = load_dataset(folder)
    problems = dataset.problems
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
                f"(<= {args.mutants} per pair)"
            )
            jobs = [(p, args.mutants, args.examples, i) for i, p in enumerate(synthesized)]
            _report_mutants(synthesized, list(pool.map(_mutation, jobs)))
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
