"""What the CLI and the dashboard call: metrics straight from a store.

Every query takes the same variant keywords (see :mod:`optbench.report._metrics`):
``opt_threshold``, ``clamp``, ``k`` (pass@k, %Opt@k, speedup@k), ``pool`` (repeated
runs: ``"mean"`` or ``"best"``) and ``problems`` (a :class:`ProblemFilter`);
:func:`summarize` also takes ``opt_over``.
"""

from __future__ import annotations

from collections.abc import Sequence

from optbench.report._compare import Comparison, PairedScore, compare_results, paired_scores
from optbench.report._data import ALL_PROBLEMS, ProblemFilter, load_records
from optbench.report._metrics import (
    OPT_THRESHOLD,
    Entry,
    MetricsRow,
    OptOver,
    Pool,
    ProblemResult,
    metrics,
    problem_results,
)
from optbench.report._verdicts import verdict_counts
from optbench.stats import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES
from optbench.store import Store


def per_problem(
    store: Store,
    run_ids: Sequence[int] | None = None,
    *,
    opt_threshold: float = OPT_THRESHOLD,
    clamp: bool = True,
    k: int | None = None,
    pool: Pool = "mean",
    problems: ProblemFilter = ALL_PROBLEMS,
) -> list[ProblemResult]:
    """One row per (technique, model, run, problem) of ``run_ids`` (all runs when None);
    per (technique, model, problem) with ``pool="best"``."""
    return problem_results(
        load_records(store, run_ids, problems=problems),
        opt_threshold=opt_threshold,
        clamp=clamp,
        k=k,
        pool=pool,
    )


def summarize(
    store: Store,
    run_ids: Sequence[int] | None = None,
    *,
    opt_threshold: float = OPT_THRESHOLD,
    clamp: bool = True,
    k: int | None = None,
    pool: Pool = "mean",
    opt_over: OptOver = "all",
    problems: ProblemFilter = ALL_PROBLEMS,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> list[MetricsRow]:
    """PIE metrics per (technique, model) over the problems of ``run_ids``, with each
    entry's verdict breakdown."""
    records = load_records(store, run_ids, problems=problems)
    return metrics(
        problem_results(records, opt_threshold=opt_threshold, clamp=clamp, k=k, pool=pool),
        resamples=resamples,
        confidence=confidence,
        seed=seed,
        opt_over=opt_over,
        verdicts=verdict_counts(records),
    )


def compare(
    store: Store,
    a: Entry,
    b: Entry,
    run_ids: Sequence[int] | None = None,
    *,
    clamp: bool = True,
    k: int | None = None,
    pool: Pool = "mean",
    problems: ProblemFilter = ALL_PROBLEMS,
    tie_tolerance: float = 0.0,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> Comparison:
    """Paired comparison of two (technique, model) entries over their shared problems."""
    return compare_results(
        per_problem(store, run_ids, clamp=clamp, k=k, pool=pool, problems=problems),
        a,
        b,
        tie_tolerance=tie_tolerance,
        resamples=resamples,
        confidence=confidence,
        seed=seed,
    )


def paired(
    store: Store,
    a: Entry,
    b: Entry,
    run_ids: Sequence[int] | None = None,
    *,
    clamp: bool = True,
    k: int | None = None,
    pool: Pool = "mean",
    problems: ProblemFilter = ALL_PROBLEMS,
) -> list[PairedScore]:
    """The per-problem scores :func:`compare` tests, one pair per shared problem."""
    return paired_scores(
        per_problem(store, run_ids, clamp=clamp, k=k, pool=pool, problems=problems), a, b
    )
