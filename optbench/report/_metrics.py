"""PIE-style metrics per (technique, model), from candidate records.

The problems an entry is scored on are all the problems of the runs it took part in
(a problem counts as part of a run once any technique produced a candidate for it), so
a technique that produced nothing for a problem scores it as not correct and 1.0x, as
in PIE, instead of silently dropping it.

Papers mix metric variants; each is a keyword here, PIE's choice the default:

* ``clamp`` — a problem's score is ``max(1, best speedup)`` (PIE: a user keeps the
  original when the candidate is slower); unclamped, a slower best candidate counts
  below 1.0. Problems without a measured equivalent candidate score 1.0 either way.
* ``k`` — best@k: only the first ``k`` samples (``sample < k``) are considered, all
  refinement rounds of those samples included; ``None`` keeps every sample (best@all).
* ``opt_over`` — %Opt over ``"all"`` problems (PIE) or only over the ``"correct"`` ones.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from optbench.report._data import CandidateRecord
from optbench.stats import (
    DEFAULT_CONFIDENCE,
    DEFAULT_RESAMPLES,
    Estimate,
    Statistic,
    estimate,
    geometric_mean,
    mean,
    total,
)

OPT_THRESHOLD = 1.10
"""PIE's %Opt bar: at least 10% faster (and significantly so)."""

Entry = tuple[str, str]
"""(technique, model)"""

OptOver = Literal["all", "correct"]
OPT_OVER: tuple[OptOver, ...] = ("all", "correct")


@dataclass(frozen=True)
class ProblemResult:
    """One (technique, model, problem): its best candidate and what it scored."""

    technique: str
    model: str
    dataset: str
    problem_id: str
    problem_row: int
    candidates: int
    equivalent: int
    """How many candidates were verified equivalent."""
    best_candidate_id: int | None
    """Best equivalent candidate by speedup; else the latest candidate (to show why it failed)."""
    verdict: str | None
    speedup: float | None
    speedup_ci_low: float | None
    speedup_ci_high: float | None
    significant: bool
    memory_ratio: float | None
    score: float
    """PIE's per-problem speedup: max(1, best equivalent speedup) (unclamped: the best
    equivalent speedup itself), 1.0 without one."""
    optimized: bool
    """Best equivalent candidate is at least ``OPT_THRESHOLD``x faster, significantly."""
    tokens_in: int
    tokens_out: int
    gen_time_s: float

    @property
    def entry(self) -> Entry:
        return (self.technique, self.model)

    @property
    def correct(self) -> bool:
        return self.equivalent > 0


@dataclass(frozen=True)
class MetricsRow:
    """Aggregates for one (technique, model); intervals are bootstrapped over problems."""

    technique: str
    model: str
    problems: int
    correct_pct: Estimate
    opt_pct: Estimate
    speedup_mean: Estimate
    speedup_geomean: Estimate
    memory_ratio: Estimate
    """Geometric mean of baseline/candidate peak memory over ``memory_problems``."""
    memory_problems: int
    candidates: int
    tokens_in: Estimate
    tokens_out: Estimate
    gen_time_s: Estimate


def _best(records: Sequence[CandidateRecord]) -> CandidateRecord | None:
    measured = [r for r in records if r.equivalent and r.speedup is not None]
    if measured:
        return max(measured, key=lambda r: (r.speedup, -r.candidate_id))
    equivalent = [r for r in records if r.equivalent]
    if equivalent:
        return equivalent[0]
    return max(records, key=lambda r: r.candidate_id) if records else None


def _problem_result(
    entry: Entry,
    problem: tuple[int, str, str],
    records: Sequence[CandidateRecord],
    opt_threshold: float,
    clamp: bool,
) -> ProblemResult:
    best = _best(records)
    speedup = best.speedup if best is not None else None
    scored = best is not None and best.equivalent and speedup is not None
    optimized = bool(
        scored
        and best is not None
        and speedup is not None
        and speedup >= opt_threshold
        and best.significant
    )
    return ProblemResult(
        technique=entry[0],
        model=entry[1],
        dataset=problem[1],
        problem_id=problem[2],
        problem_row=problem[0],
        candidates=len(records),
        equivalent=sum(r.equivalent for r in records),
        best_candidate_id=best.candidate_id if best else None,
        verdict=best.verdict if best else None,
        speedup=speedup,
        speedup_ci_low=best.speedup_ci_low if best else None,
        speedup_ci_high=best.speedup_ci_high if best else None,
        significant=bool(best and best.significant),
        memory_ratio=best.memory_ratio if best and scored else None,
        score=_score(speedup if scored else None, clamp),
        optimized=optimized,
        tokens_in=sum(r.tokens_in for r in records),
        tokens_out=sum(r.tokens_out for r in records),
        gen_time_s=math.fsum(r.gen_time_s for r in records),
    )


def _score(speedup: float | None, clamp: bool) -> float:
    if speedup is None:
        return 1.0
    return max(1.0, speedup) if clamp else speedup


def problem_results(
    records: Iterable[CandidateRecord],
    *,
    opt_threshold: float = OPT_THRESHOLD,
    clamp: bool = True,
    k: int | None = None,
) -> list[ProblemResult]:
    """One result per (technique, model, problem of the entry's runs), sorted.

    ``clamp`` and ``k`` (best@k) are the variants described in the module docstring;
    with ``k`` the problems scored stay the same, only later samples are ignored.
    """
    if k is not None and k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    problems: dict[int, tuple[int, str, str]] = {}
    run_problems: dict[int, set[int]] = defaultdict(set)
    entry_runs: dict[Entry, set[int]] = defaultdict(set)
    grouped: dict[tuple[Entry, int], list[CandidateRecord]] = defaultdict(list)
    for r in records:
        problems[r.problem_row] = (r.problem_row, r.dataset, r.problem_id)
        run_problems[r.run_id].add(r.problem_row)
        entry_runs[(r.technique, r.model)].add(r.run_id)
        if k is not None and r.sample >= k:
            continue
        grouped[((r.technique, r.model), r.problem_row)].append(r)
    results = []
    for entry in sorted(entry_runs):
        rows = set().union(*(run_problems[run] for run in entry_runs[entry]))
        for row in sorted(rows, key=lambda p: problems[p][1:]):
            results.append(
                _problem_result(
                    entry, problems[row], grouped.get((entry, row), []), opt_threshold, clamp
                )
            )
    return results


def metrics(
    results: Iterable[ProblemResult],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
    opt_over: OptOver = "all",
) -> list[MetricsRow]:
    """Aggregate per-problem results into one row per (technique, model).

    ``opt_over="correct"`` computes %Opt over the problems with an equivalent candidate
    only (NaN for an entry with none).
    """
    if opt_over not in OPT_OVER:
        raise ValueError(f"opt_over must be one of {OPT_OVER}, got {opt_over!r}")
    by_entry: dict[Entry, list[ProblemResult]] = defaultdict(list)
    for result in results:
        by_entry[result.entry].append(result)

    def est(values: Sequence[float], statistic: Statistic) -> Estimate:
        return estimate(values, statistic, resamples=resamples, confidence=confidence, seed=seed)

    rows = []
    for entry in sorted(by_entry):
        items = by_entry[entry]
        scores = [p.score for p in items]
        memory = [
            p.memory_ratio for p in items if p.memory_ratio is not None and p.memory_ratio > 0
        ]
        rows.append(
            MetricsRow(
                technique=entry[0],
                model=entry[1],
                problems=len(items),
                correct_pct=est([100.0 * p.correct for p in items], mean),
                opt_pct=est(
                    [100.0 * p.optimized for p in items if opt_over == "all" or p.correct],
                    mean,
                ),
                speedup_mean=est(scores, mean),
                speedup_geomean=est(scores, geometric_mean),
                memory_ratio=est(memory, geometric_mean),
                memory_problems=len(memory),
                candidates=sum(p.candidates for p in items),
                tokens_in=est([float(p.tokens_in) for p in items], total),
                tokens_out=est([float(p.tokens_out) for p in items], total),
                gen_time_s=est([p.gen_time_s for p in items], total),
            )
        )
    return rows
