"""The mutation check of ``bench/pie_synthesis.py``: how many wrong programs the given
tests and the synthesized inputs tell from the original.

Per pair, mutants of the slow program (:mod:`mutation_ops`) are taken in a seeded order
(seeded by the pair's id, so a subset of problems meets the same mutants) and judged by
the verifier on the given tests alone, until ``--mutants`` of them pass those; each
survivor is then verified with the synthesized strategy, as a run would verify a
candidate. A survivor the verification passes is put to an equivalence oracle that does
not rely on the synthesized grammar alone: ~200 further inputs of the strategy (small,
at the edges, and up to a tenth of the workload's scale) and ~200 type-aware mutations
of the given tests (EvalPlus style), each counted only where the original accepts it.
An input that tells the mutant apart counts where the pair's reference and the other
accepted solutions of the problem (up to :data:`VOTERS`) accept it and give the
original's answer; otherwise it is likely outside the problem's constraints. A mutant no
counted input tells apart is presumed equivalent.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from mutation_ops import FAMILIES, mutant, mutated_inputs, mutation_count

from optbench.core.problem import Problem
from optbench.core.verdict import Verdict, VerdictStatus
from optbench.datasets.synthesis.draw import RandomDraw
from optbench.datasets.synthesis.narrow import same_answer
from optbench.datasets.synthesis.original import Original
from optbench.datasets.synthesis.sampling import small_samples
from optbench.verify import Verifier, VerifyConfig

SYNTHESIZED_SAMPLES = 100
"""Hypothesis draws, and as many seeded random and edge draws (see ``small_samples``)."""
SCALE_FRACTIONS = (0.001, 0.01, 0.03, 0.1)
"""Further synthesized inputs, at these fractions of the workload's scale."""
MUTATED_INPUTS = 200
"""Type-aware mutations of the given tests the original accepts."""
TELLING_KEPT = 3
"""Telling inputs kept per source, for the vote and the report."""
VOTERS = 4
"""Other accepted solutions asked about a telling input (besides the reference)."""
ORACLE_TIMEOUT_S = 5.0
"""How long the original may take on an oracle input (longer: discarded)."""
SOURCES = ("synthesized", "mutated")


class PairJob(NamedTuple):
    problem: Problem
    per_pair: int
    examples: int
    seed: int
    siblings: list[str]


@dataclass
class MutantResult:
    pair: str
    family: str
    what: str
    given_killed: bool
    target: int = -1
    """Which mutation of the slow program (``mutation_ops.mutant(source, target)``)."""
    verdict: str = ""
    """The verification's status with the synthesized strategy (survivors only)."""
    killed: bool = False
    """``not_equivalent``, ``error``, ``rejected`` or a per-input ``timeout``."""
    budget: bool = False
    """The verification ran out of its time budget: not a kill."""
    evidence: str = ""
    """The verification's counterexample (killed), else the first telling input."""
    told: str = ""
    """Survivors the verification passed: the source of the first telling input the other
    solutions accept (``synthesized`` or ``mutated``), ``outside`` where other solutions
    reject or answer otherwise on every telling input, ``""`` where none tells it apart."""
    telling: dict[str, int] = field(default_factory=dict)
    """Telling inputs per source (counting stops at :data:`TELLING_KEPT` + 7)."""
    oracle: dict[str, int] = field(default_factory=dict)
    """Oracle inputs per source."""

    @property
    def survived_given(self) -> bool:
        return not self.given_killed

    @property
    def distinguishable(self) -> bool:
        return self.killed or self.told in SOURCES


def check_pair(job: PairJob) -> list[MutantResult]:
    """Mutants of one pair, in a seeded order, until ``per_pair`` pass the given tests."""
    problem = job.problem
    source = problem.slow_source
    targets = list(range(mutation_count(source)))
    random.Random(f"{job.seed}:{problem.id}").shuffle(targets)
    config = VerifyConfig(max_examples=job.examples)
    given_only = dataclasses.replace(
        problem, inputs_source=None, content_hash=problem.content_hash + "-given"
    )
    results: list[MutantResult] = []
    survivors: list[tuple[MutantResult, str]] = []
    with Verifier(given_only, config) as given:
        for target in targets:
            if len(survivors) >= job.per_pair:
                break
            made = mutant(source, target)
            passed = given.verify(made.source).ok
            result = MutantResult(problem.id, made.family, made.what, not passed, target)
            results.append(result)
            if passed:
                survivors.append((result, made.source))
    oracle: list[tuple[str, str, str, float]] | None = None
    with Verifier(problem, config) as verifier:
        for result, code in survivors:
            verdict = verifier.verify(code)
            _record(result, verdict)
            if result.killed:
                continue
            if oracle is None:
                oracle = _oracle_inputs(problem, job.seed)
            _tell_apart(result, code, oracle, [problem.fast_source or "", *job.siblings])
    return results


def _record(result: MutantResult, verdict: Verdict) -> None:
    result.verdict = verdict.status.value
    result.budget = verdict.status is VerdictStatus.TIMEOUT and "budget" in verdict.message
    result.killed = not verdict.ok and not result.budget
    if verdict.counterexample is not None:
        result.evidence = verdict.counterexample.input


def _oracle_inputs(problem: Problem, seed: int) -> list[tuple[str, str, str, float]]:
    """(source, input, the original's answer, its seconds) for every oracle input the
    original accepts: synthesized ones first, then mutations of the given tests."""
    namespace: dict[str, Any] = {}
    exec(compile(problem.inputs_source or "", problem.inputs_filename, "exec"), namespace)
    build = namespace["build"]
    scale = float(namespace.get("WORKLOAD_SCALE", 1.0))
    texts = small_samples(build, SYNTHESIZED_SAMPLES)
    texts += [
        build(RandomDraw(random.Random(seed + index)), 1 + (scale - 1) * fraction)
        for index, fraction in enumerate(SCALE_FRACTIONS)
    ]
    found: list[tuple[str, str, str, float]] = []
    with Original(problem.slow_source) as original:

        def accepts(text: str, origin: str = "mutated") -> bool:
            run = original.run(text, timeout=ORACLE_TIMEOUT_S)
            if run.accepted:
                found.append((origin, text, run.stdout, run.elapsed))
            return run.accepted

        for text in texts:
            accepts(text, "synthesized")
        given = [test.stdin for test in problem.tests if test.stdin]
        mutated_inputs(given, accepts, MUTATED_INPUTS, random.Random(f"{seed}:{problem.id}"))
    return found


def _tell_apart(
    result: MutantResult,
    code: str,
    oracle: list[tuple[str, str, str, float]],
    solutions: list[str],
) -> None:
    """Run the mutant on the oracle inputs; keep the first telling ones of each source and
    ask the other accepted solutions whether they are valid inputs."""
    kept: dict[str, list[tuple[str, str]]] = {s: [] for s in SOURCES}
    result.oracle = dict(Counter(origin for origin, *_ in oracle))
    result.telling = dict.fromkeys(SOURCES, 0)
    with Original(code, name="mutant") as program:
        for origin, text, expected, elapsed in oracle:
            if result.telling[origin] >= TELLING_KEPT + 7:
                continue
            run = program.run(text, timeout=max(2.0, 20 * elapsed))
            if not run.accepted or not same_answer(expected, run.stdout):
                result.telling[origin] += 1
                if len(kept[origin]) < TELLING_KEPT:
                    kept[origin].append((text, expected))
    candidates = [(origin, text, want) for origin in SOURCES for text, want in kept[origin]]
    if not candidates:
        return
    valid = _valid_inputs([(t, w) for _, t, w in candidates], [s for s in solutions if s])
    for (origin, text, _), ok in zip(candidates, valid, strict=True):
        if ok:
            result.told, result.evidence = origin, text
            return
    result.told, result.evidence = "outside", candidates[0][1]


def _valid_inputs(cases: list[tuple[str, str]], solutions: list[str]) -> list[bool]:
    """Whether the reference and up to :data:`VOTERS` other accepted solutions all accept
    each input and give the original's answer (the CodeContests filter)."""
    valid = [True] * len(cases)
    for source in solutions[: 1 + VOTERS]:
        with Original(source, name="solution") as solution:
            for index, (text, expected) in enumerate(cases):
                if not valid[index]:
                    continue
                run = solution.run(text, timeout=ORACLE_TIMEOUT_S)
                valid[index] = run.accepted and same_answer(expected, run.stdout)
    return valid


# -- report ----------------------------------------------------------------------------


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "0/0"


def _short(text: str, limit: int = 120) -> str:
    flat = text.replace("\n", " / ").strip(" /")
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def report(rows: list[MutantResult], examples: int) -> None:
    """Kill rates overall and per family, then every survivor the verification missed."""
    print(
        f"verification: {examples} examples per mutant; equivalence oracle: "
        f"~{2 * SYNTHESIZED_SAMPLES + len(SCALE_FRACTIONS)} further synthesized inputs and "
        f"<= {MUTATED_INPUTS} mutated given tests the original accepts"
    )
    header = (
        f"{'family':<11} {'examined':>8} {'given kill':>14} {'survivors':>9} "
        f"{'raw kill':>14} {'distinguishable kill':>20} {'outside':>7} {'presumed eq.':>12} "
        f"{'budget':>6} {'all kill (given+synth)':>22}"
    )
    print(header)
    for family in (*FAMILIES, "all"):
        mine = [r for r in rows if family in ("all", r.family)]
        if not mine:
            continue
        survivors = [r for r in mine if r.survived_given]
        killed = sum(r.killed for r in survivors)
        distinct = sum(r.distinguishable for r in survivors)
        given = sum(r.given_killed for r in mine)
        print(
            f"{family:<11} {len(mine):>8} {_share(given, len(mine)):>14} {len(survivors):>9} "
            f"{_share(killed, len(survivors)):>14} {_share(killed, distinct):>20} "
            f"{sum(r.told == 'outside' for r in survivors):>7} "
            f"{sum(not r.distinguishable and r.told != 'outside' for r in survivors):>12} "
            f"{sum(r.budget for r in survivors):>6} "
            f"{_share(given + killed, len(mine)):>22}"
        )
    verdicts = Counter(r.verdict for r in rows if r.killed)
    print("kills by verdict: " + ", ".join(f"{k} {v}" for k, v in verdicts.most_common()))
    print("\nsurvivors the verification passed:")
    for r in rows:
        if not r.survived_given or r.killed:
            continue
        counts = ", ".join(f"{r.telling.get(s, 0)} of {r.oracle.get(s, 0)} {s}" for s in SOURCES)
        label = {
            "synthesized": "told apart on a valid synthesized input",
            "mutated": "told apart only on valid mutated given tests",
            "outside": "told apart only where other solutions differ too (outside constraints)",
            "": "presumed equivalent",
        }[r.told]
        budget = " [verification out of budget]" if r.budget else ""
        print(f"  {r.pair} {r.family}: {r.what}: {label}{budget} (telling: {counts})")
        if r.told:
            print(f"      input: {_short(r.evidence)}")


def as_json(rows: list[MutantResult]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(r) for r in rows]
