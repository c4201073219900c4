"""PIE-style metrics per (technique, model), from candidate records.

The problems an entry is scored on are all the problems of the runs it took part in
(a problem counts as part of a run once any technique produced a candidate for it), so
a technique that produced nothing for a problem scores it as not correct and 1.0x, as
in PIE, instead of silently dropping it.

**Selection and confirmation.** A problem's best candidate is chosen by its measured
speedup, and choosing the largest of several noisy measurements (or choosing a candidate
over the original because it measured above 1.0) picks measurements that erred upwards.
The runner therefore measures the candidate :func:`to_confirm` picks a second time (a
*confirmation*), and the score reported is that fresh value, as measured: clamping it again
would bring the bias back. The rules (``clamp=True``, PIE's default):

* no measured equivalent candidate, or the best measured at most 1.0: the original is kept,
  score 1.0, not optimized;
* otherwise score = the confirmation's speedup; optimized = confirmation >= ``opt_threshold``
  and significant.

Unclamped, one measured candidate is reported by its own measurement (nothing was
selected) and several by the confirmation. When a confirmation that should exist is
missing (an older run, a run still going, a confirmation whose measurement failed) the
selection measurement is reported instead and the result says ``confirmed=False``.

Papers mix metric variants; each is a keyword here, PIE's choice the default:

* ``clamp`` — the original is kept when no candidate beats it (PIE); unclamped, a slower
  best candidate counts below 1.0. Problems without a measured equivalent candidate score
  1.0 either way.
* ``k`` — pass@k, %Opt@k and speedup@k: the unbiased estimators of the best of ``k``
  samples drawn at random from the ``n`` a problem has (Chen et al. 2021), instead of the
  best of all samples. A sample is one independent draw (a candidate's ``sample``; its
  refinement rounds belong to it and the best round counts). @k figures rank and score
  samples by their own measurements: confirmations exist only for the overall best. When
  ``k`` exceeds a problem's ``n``, its figures use all ``n`` samples (``k_capped`` counts
  them). ``None`` scores the best of all samples, with its confirmation.
* ``opt_over`` — %Opt over ``"all"`` problems (PIE) or only over the ``"correct"`` ones.
* ``pool`` — runs of the same (technique, model) are repeats (e.g. other seeds).
  ``"mean"`` (default) scores each run on its own problems, then averages: an entry's
  figure is the mean of its per-run figures with a Student-t interval over the runs, a
  problem's score the mean of its per-run scores. ``"best"`` pools every run's candidates
  as if they were samples of one run and keeps the best (best-of-runs), which grows with
  the number of runs even when nothing changed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from optbench.report._data import CandidateRecord
from optbench.report._verdicts import VerdictCounts
from optbench.stats import (
    DEFAULT_CONFIDENCE,
    DEFAULT_RESAMPLES,
    Estimate,
    Statistic,
    best_at_k,
    estimate,
    geometric_mean,
    mean,
    pass_at_k,
    t_interval,
    total,
)

OPT_THRESHOLD = 1.10
"""PIE's %Opt bar: at least 10% faster (and significantly so)."""

Entry = tuple[str, str]
"""(technique, model)"""

OptOver = Literal["all", "correct"]
OPT_OVER: tuple[OptOver, ...] = ("all", "correct")

Pool = Literal["mean", "best"]
POOLS: tuple[Pool, ...] = ("mean", "best")

Reported = Literal["confirmation", "selection", "original", "samples"]
"""Where a problem's score comes from: the best candidate's confirmation, its selection
measurement, the original (1.0: nothing beat it), or the samples' own measurements (@k)."""


@dataclass(frozen=True)
class ProblemResult:
    """One (technique, model, problem) in one run (or pooled over runs): its best
    candidate and what it scored."""

    technique: str
    model: str
    dataset: str
    problem_id: str
    problem_row: int
    run_id: int | None
    """The run; None when several runs of the entry were pooled (``pool="best"``)."""
    runs: int
    """How many runs this result pools: 1 unless ``pool="best"``."""
    candidates: int
    equivalent: int
    """How many candidates were verified equivalent."""
    samples: int
    """Independent samples (distinct ``sample`` per run) among the candidates."""
    best_candidate_id: int | None
    """Best equivalent candidate by speedup; else the latest candidate (to show why it failed)."""
    verdict: str | None
    speedup: float | None
    """The selection measurement: the one the best candidate was chosen by."""
    speedup_ci_low: float | None
    speedup_ci_high: float | None
    significant: bool
    confirmed_speedup: float | None
    """The best candidate's confirmation measurement, when there is one."""
    confirmed_ci_low: float | None
    confirmed_ci_high: float | None
    confirmed_significant: bool | None
    memory_ratio: float | None
    score: float
    """PIE's per-problem speedup (see the module docstring for where it comes from);
    with ``k``, speedup@k."""
    optimized: bool
    """The reported best candidate is at least ``OPT_THRESHOLD``x faster, significantly
    (over all samples, whatever ``k``)."""
    reported: Reported
    confirmed: bool
    """False when the score should come from a confirmation that is missing, and the
    selection measurement (biased upwards) stands in for it."""
    k: int | None
    """The k asked for (@k figures use ``min(k, samples)``); None for all samples."""
    p_correct: float
    """What %Correct averages: 1.0 or 0.0, or pass@k with ``k``."""
    p_optimized: float
    """What %Opt averages: 1.0 or 0.0 (``optimized``), or %Opt@k with ``k``."""
    tokens_in: int
    tokens_out: int
    gen_time_s: float

    @property
    def entry(self) -> Entry:
        return (self.technique, self.model)

    @property
    def correct(self) -> bool:
        return self.equivalent > 0

    @property
    def k_capped(self) -> bool:
        """``k`` exceeds the samples this problem has, so @k used all of them."""
        return self.k is not None and self.samples < self.k


@dataclass(frozen=True)
class ProblemMean:
    """One (technique, model, problem) over the entry's runs: the mean of the per-run
    results (a single run's result when there is one)."""

    technique: str
    model: str
    dataset: str
    problem_id: str
    problem_row: int
    runs: int
    score: float
    """Mean of the per-run scores."""
    correct: float
    """Mean of the per-run ``p_correct``: the share of runs with an equivalent candidate
    (mean pass@k with ``k``)."""
    optimized: float
    """Mean of the per-run ``p_optimized``."""
    unconfirmed: int
    """Runs whose score stands on an unconfirmed selection measurement."""

    @property
    def entry(self) -> Entry:
        return (self.technique, self.model)


@dataclass(frozen=True)
class MetricsRow:
    """Aggregates for one (technique, model).

    With one run (or runs pooled best-of), intervals are bootstrapped over problems; with
    several runs averaged, each figure is computed per run and the interval is a Student-t
    interval over the runs (``interval`` says which). Cost figures are per run.
    """

    technique: str
    model: str
    problems: int
    runs: int
    pooling: str
    """``"one run"``, ``"mean"`` (of the per-run figures) or ``"best"`` (runs pooled best-of)."""
    correct_pct: Estimate
    """%Correct; pass@k with ``k``."""
    opt_pct: Estimate
    """%Opt; %Opt@k with ``k``."""
    speedup_mean: Estimate
    """Speedup; speedup@k with ``k``."""
    speedup_geomean: Estimate
    memory_ratio: Estimate
    """Geometric mean of baseline/candidate peak memory over ``memory_problems``."""
    memory_problems: int
    candidates: int
    unconfirmed: int
    """Problem results (per run) scored by an unconfirmed selection measurement."""
    tokens_in: Estimate
    tokens_out: Estimate
    gen_time_s: Estimate
    reported: str
    """Where the scores come from: ``confirmation``, ``selection``, both joined by ``+``,
    ``original`` (nothing beat it anywhere) or ``samples`` (@k figures)."""
    interval: str
    """``"problems"`` (bootstrap over problems) or ``"runs"`` (t interval over runs)."""
    k: int | None = None
    k_capped: int = 0
    """Problem results with fewer samples than ``k`` (their @k figures use all samples)."""
    verdicts: VerdictCounts | None = None
    """What became of the entry's candidates (see :mod:`optbench.report._verdicts`)."""


def _best(records: Sequence[CandidateRecord]) -> CandidateRecord | None:
    measured = [r for r in records if r.equivalent and r.speedup is not None]
    if measured:
        return max(measured, key=lambda r: (r.speedup, -r.candidate_id))
    equivalent = [r for r in records if r.equivalent]
    if equivalent:
        return equivalent[0]
    return max(records, key=lambda r: r.candidate_id) if records else None


def to_confirm(records: Sequence[CandidateRecord]) -> CandidateRecord | None:
    """The candidate of one (technique, model, problem) whose speedup must be confirmed by a
    fresh measurement before it is reported, or None.

    Choosing the best of several noisy measurements, or choosing a candidate over the
    original because its measurement came out above 1.0 (PIE's clamp), selects measurements
    that erred upwards: 8 unchanged copies of the original score about 1.27x by their best
    point estimate. The selected candidate is therefore measured again and the report
    states that second measurement. A single measured candidate whose speedup is at most
    1.0 was not selected over the original, so it needs no confirmation.
    """
    measured = [r for r in records if r.equivalent and r.speedup is not None]
    if not measured:
        return None
    best = _best(measured)
    assert best is not None and best.speedup is not None
    if len(measured) > 1 or best.speedup > 1.0:
        return best
    return None


@dataclass(frozen=True)
class _Scored:
    score: float
    optimized: bool
    reported: Reported
    confirmed: bool


def _selected(records: Sequence[CandidateRecord], opt_threshold: float, clamp: bool) -> _Scored:
    """The score of the best of all samples, by the rules of the module docstring."""
    measured = [r for r in records if r.equivalent and r.speedup is not None]
    best = _best(measured)
    if best is None or best.speedup is None or (clamp and best.speedup <= 1.0):
        return _Scored(1.0, False, "original", True)
    own = _Scored(
        best.speedup, best.speedup >= opt_threshold and best.significant, "selection", True
    )
    if not clamp and len(measured) == 1:
        return own
    if best.confirmed_speedup is not None:
        return _Scored(
            best.confirmed_speedup,
            best.confirmed_speedup >= opt_threshold and bool(best.confirmed_significant),
            "confirmation",
            True,
        )
    return _Scored(own.score, own.optimized, "selection", False)


def _score(speedup: float | None, clamp: bool) -> float:
    if speedup is None:
        return 1.0
    return max(1.0, speedup) if clamp else speedup


def _sample_figures(
    records: Sequence[CandidateRecord], opt_threshold: float, clamp: bool
) -> tuple[list[float], list[float], list[float]]:
    """Per independent sample (its best round): score, correct (0/1), optimized (0/1)."""
    samples: dict[tuple[int, int], list[CandidateRecord]] = defaultdict(list)
    for r in records:
        samples[(r.run_id, r.sample)].append(r)
    scores, correct, optimized = [], [], []
    for rounds in samples.values():
        best = _best(rounds)
        measured = best is not None and best.equivalent and best.speedup is not None
        speedup = best.speedup if best is not None and measured else None
        scores.append(_score(speedup, clamp))
        correct.append(float(any(r.equivalent for r in rounds)))
        optimized.append(
            float(
                speedup is not None
                and best is not None
                and speedup >= opt_threshold
                and best.significant
            )
        )
    return scores, correct, optimized


def _problem_result(
    entry: Entry,
    problem: tuple[int, str, str],
    unit: tuple[int | None, int],
    records: Sequence[CandidateRecord],
    opt_threshold: float,
    clamp: bool,
    k: int | None,
) -> ProblemResult:
    best = _best(records)
    speedup = best.speedup if best is not None else None
    measured = best is not None and best.equivalent and speedup is not None
    chosen = _selected(records, opt_threshold, clamp)
    correct = any(r.equivalent for r in records)
    scores, passed, optimized = _sample_figures(records, opt_threshold, clamp)
    if k is None:
        score, p_correct, p_optimized = chosen.score, float(correct), float(chosen.optimized)
        reported, confirmed = chosen.reported, chosen.confirmed
    elif not scores:
        score, p_correct, p_optimized, reported, confirmed = 1.0, 0.0, 0.0, "original", True
    else:
        n, used = len(scores), min(k, len(scores))
        score = best_at_k(scores, used)
        p_correct = pass_at_k(n, int(sum(passed)), used)
        p_optimized = pass_at_k(n, int(sum(optimized)), used)
        reported, confirmed = "samples", True
    return ProblemResult(
        technique=entry[0],
        model=entry[1],
        dataset=problem[1],
        problem_id=problem[2],
        problem_row=problem[0],
        run_id=unit[0],
        runs=unit[1],
        candidates=len(records),
        equivalent=sum(r.equivalent for r in records),
        samples=len(scores),
        best_candidate_id=best.candidate_id if best else None,
        verdict=best.verdict if best else None,
        speedup=speedup,
        speedup_ci_low=best.speedup_ci_low if best else None,
        speedup_ci_high=best.speedup_ci_high if best else None,
        significant=bool(best and best.significant),
        confirmed_speedup=best.confirmed_speedup if best and measured else None,
        confirmed_ci_low=best.confirmed_ci_low if best and measured else None,
        confirmed_ci_high=best.confirmed_ci_high if best and measured else None,
        confirmed_significant=best.confirmed_significant if best and measured else None,
        memory_ratio=best.memory_ratio if best and measured else None,
        score=score,
        optimized=chosen.optimized,
        reported=reported,
        confirmed=confirmed,
        k=k,
        p_correct=p_correct,
        p_optimized=p_optimized,
        tokens_in=sum(r.tokens_in for r in records),
        tokens_out=sum(r.tokens_out for r in records),
        gen_time_s=math.fsum(r.gen_time_s for r in records),
    )


def problem_results(
    records: Iterable[CandidateRecord],
    *,
    opt_threshold: float = OPT_THRESHOLD,
    clamp: bool = True,
    k: int | None = None,
    pool: Pool = "mean",
) -> list[ProblemResult]:
    """One result per (technique, model, run, problem of that run) with ``pool="mean"``,
    per (technique, model, problem of the entry's runs) with ``pool="best"``; sorted by
    entry, problem and run.

    ``clamp``, ``k`` and ``pool`` are the variants of the module docstring. Raises
    ValueError for ``k`` below 1 or an unknown ``pool``.
    """
    if k is not None and k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if pool not in POOLS:
        raise ValueError(f"pool must be one of {POOLS}, got {pool!r}")
    problems: dict[int, tuple[int, str, str]] = {}
    run_problems: dict[int, set[int]] = defaultdict(set)
    entry_runs: dict[Entry, set[int]] = defaultdict(set)
    grouped: dict[tuple[Entry, int | None, int], list[CandidateRecord]] = defaultdict(list)
    for r in records:
        problems[r.problem_row] = (r.problem_row, r.dataset, r.problem_id)
        run_problems[r.run_id].add(r.problem_row)
        entry_runs[(r.technique, r.model)].add(r.run_id)
        unit = r.run_id if pool == "mean" else None
        grouped[((r.technique, r.model), unit, r.problem_row)].append(r)
    results = []
    for entry, runs in entry_runs.items():
        units: list[tuple[int | None, list[int]]]
        units = [(run, [run]) for run in runs] if pool == "mean" else [(None, sorted(runs))]
        for unit, unit_runs in units:
            rows = set().union(*(run_problems[run] for run in unit_runs))
            for row in rows:
                shown = unit_runs[0] if len(unit_runs) == 1 else unit
                results.append(
                    _problem_result(
                        entry,
                        problems[row],
                        (shown, len(unit_runs)),
                        grouped.get((entry, unit, row), []),
                        opt_threshold,
                        clamp,
                        k,
                    )
                )
    return sorted(
        results,
        key=lambda p: (p.technique, p.model, p.dataset, p.problem_id, p.problem_row, p.run_id or 0),
    )


def problem_means(results: Iterable[ProblemResult]) -> list[ProblemMean]:
    """Per (technique, model, problem): the mean over the entry's runs of the per-run
    results, in the order of ``results``."""
    grouped: dict[tuple[Entry, int], list[ProblemResult]] = defaultdict(list)
    for result in results:
        grouped[(result.entry, result.problem_row)].append(result)
    means = []
    for (entry, row), items in grouped.items():
        means.append(
            ProblemMean(
                technique=entry[0],
                model=entry[1],
                dataset=items[0].dataset,
                problem_id=items[0].problem_id,
                problem_row=row,
                runs=sum(p.runs for p in items),
                score=mean([p.score for p in items]),
                correct=mean([p.p_correct for p in items]),
                optimized=mean([p.p_optimized for p in items]),
                unconfirmed=sum(not p.confirmed for p in items),
            )
        )
    return means


@dataclass(frozen=True)
class _Figure:
    statistic: Statistic
    log: bool = False
    """Averaged over runs in log space (geometric means)."""
    bounds: tuple[float, float] = (-math.inf, math.inf)


FIGURES = {
    "correct_pct": _Figure(mean, bounds=(0.0, 100.0)),
    "opt_pct": _Figure(mean, bounds=(0.0, 100.0)),
    "speedup_mean": _Figure(mean, bounds=(0.0, math.inf)),
    "speedup_geomean": _Figure(geometric_mean, log=True),
    "memory_ratio": _Figure(geometric_mean, log=True),
    "tokens_in": _Figure(total, bounds=(0.0, math.inf)),
    "tokens_out": _Figure(total, bounds=(0.0, math.inf)),
    "gen_time_s": _Figure(total, bounds=(0.0, math.inf)),
}
"""MetricsRow field → how it is computed from per-problem values."""


def _values(items: Sequence[ProblemResult], opt_over: OptOver) -> dict[str, list[float]]:
    scores = [p.score for p in items]
    return {
        "correct_pct": [100.0 * p.p_correct for p in items],
        "opt_pct": [100.0 * p.p_optimized for p in items if opt_over == "all" or p.correct],
        "speedup_mean": scores,
        "speedup_geomean": scores,
        "memory_ratio": [
            p.memory_ratio for p in items if p.memory_ratio is not None and p.memory_ratio > 0
        ],
        "tokens_in": [float(p.tokens_in) for p in items],
        "tokens_out": [float(p.tokens_out) for p in items],
        "gen_time_s": [p.gen_time_s for p in items],
    }


def _over_runs(per_run: Sequence[float], figure: _Figure, confidence: float) -> Estimate:
    """Mean of one figure over runs with its t interval (geometric for ratios)."""
    values = [v for v in per_run if not math.isnan(v)]
    if not values:
        return Estimate(math.nan, math.nan, math.nan)
    if figure.log:
        logs = [math.log(v) for v in values]
        low, high = t_interval(logs, confidence=confidence)
        return Estimate(math.exp(mean(logs)), math.exp(low), math.exp(high))
    low, high = t_interval(values, confidence=confidence)
    return Estimate(mean(values), max(low, figure.bounds[0]), min(high, figure.bounds[1]))


def _reported(items: Sequence[ProblemResult]) -> str:
    sources = [
        s for s in ("confirmation", "selection", "samples") if any(p.reported == s for p in items)
    ]
    return "+".join(sources) or "original"


def metrics(
    results: Iterable[ProblemResult],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
    opt_over: OptOver = "all",
    verdicts: Mapping[Entry, VerdictCounts] | None = None,
) -> list[MetricsRow]:
    """Aggregate per-problem results into one row per (technique, model).

    Results of several runs of one entry (``pool="mean"``) give one figure per run, then
    their mean with a t interval over runs. ``opt_over="correct"`` computes %Opt over the
    problems with an equivalent candidate only (NaN for an entry with none). ``verdicts``
    (from :func:`optbench.report.verdict_counts`) is attached to each entry's row.
    """
    if opt_over not in OPT_OVER:
        raise ValueError(f"opt_over must be one of {OPT_OVER}, got {opt_over!r}")
    by_entry: dict[Entry, dict[int | None, list[ProblemResult]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for result in results:
        by_entry[result.entry][result.run_id].append(result)

    def est(values: Sequence[float], statistic: Statistic) -> Estimate:
        return estimate(values, statistic, resamples=resamples, confidence=confidence, seed=seed)

    rows = []
    for entry in sorted(by_entry):
        units = list(by_entry[entry].values())
        items = [p for unit in units for p in unit]
        per_unit = [_values(unit, opt_over) for unit in units]
        figures: dict[str, Estimate]
        if len(units) == 1:
            figures = {
                name: est(per_unit[0][name], figure.statistic) for name, figure in FIGURES.items()
            }
        else:
            figures = {
                name: _over_runs(
                    [figure.statistic(v[name]) for v in per_unit if v[name]], figure, confidence
                )
                for name, figure in FIGURES.items()
            }
        runs = max(p.runs for p in items) if len(units) == 1 else len(units)
        pooling = "one run" if runs == 1 else ("mean" if len(units) > 1 else "best")
        k = items[0].k
        rows.append(
            MetricsRow(
                technique=entry[0],
                model=entry[1],
                problems=len({p.problem_row for p in items}),
                runs=runs,
                pooling=pooling,
                correct_pct=figures["correct_pct"],
                opt_pct=figures["opt_pct"],
                speedup_mean=figures["speedup_mean"],
                speedup_geomean=figures["speedup_geomean"],
                memory_ratio=figures["memory_ratio"],
                memory_problems=len(
                    {
                        p.problem_row
                        for p in items
                        if p.memory_ratio is not None and p.memory_ratio > 0
                    }
                ),
                candidates=sum(p.candidates for p in items),
                unconfirmed=sum(not p.confirmed for p in items),
                tokens_in=figures["tokens_in"],
                tokens_out=figures["tokens_out"],
                gen_time_s=figures["gen_time_s"],
                reported=_reported(items),
                interval="runs" if len(units) > 1 else "problems",
                k=k,
                k_capped=sum(p.k_capped for p in items),
                verdicts=(verdicts or {}).get(entry),
            )
        )
    return rows
