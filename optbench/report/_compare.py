"""Paired comparison of two (technique, model) entries, problem by problem."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from optbench.report._metrics import Entry, ProblemResult, problem_means
from optbench.stats import (
    DEFAULT_CONFIDENCE,
    DEFAULT_RESAMPLES,
    Estimate,
    estimate,
    geometric_mean,
    sign_test,
    wilcoxon_signed_rank,
)


@dataclass(frozen=True)
class Comparison:
    """A vs B on the problems both were scored on, using PIE's per-problem speedup
    (the mean over an entry's runs where it has several).

    ``ratio`` is the geometric mean over problems of score(A) / score(B): above 1.0, A
    made programs faster than B did.
    """

    technique_a: str
    model_a: str
    technique_b: str
    model_b: str
    problems: int
    wins: int
    losses: int
    ties: int
    ratio: Estimate
    wilcoxon_p: float
    sign_p: float


@dataclass(frozen=True)
class PairedScore:
    """One problem both entries were scored on, with each entry's score."""

    dataset: str
    problem_id: str
    problem_row: int
    score_a: float
    score_b: float


def paired_scores(results: Iterable[ProblemResult], a: Entry, b: Entry) -> list[PairedScore]:
    """The problems ``a`` and ``b`` share, in problem order, with both scores (an entry's
    score on a problem is the mean over its runs, see
    :func:`optbench.report.problem_means`).

    Raises KeyError when either entry has no results.
    """
    chosen = [r for r in results if r.entry in (a, b)]
    found: dict[Entry, dict[int, float]] = {a: {}, b: {}}
    names: dict[int, tuple[str, str]] = {}
    for mean in problem_means(chosen):
        found[mean.entry][mean.problem_row] = mean.score
        names[mean.problem_row] = (mean.dataset, mean.problem_id)
    for entry in (a, b):
        if not found[entry]:
            raise KeyError(f"no results for technique {entry[0]!r} with model {entry[1]!r}")
    shared = sorted(found[a].keys() & found[b].keys())
    return [
        PairedScore(
            dataset=names[row][0],
            problem_id=names[row][1],
            problem_row=row,
            score_a=found[a][row],
            score_b=found[b][row],
        )
        for row in shared
    ]


def compare_results(
    results: Iterable[ProblemResult],
    a: Entry,
    b: Entry,
    *,
    tie_tolerance: float = 0.0,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> Comparison:
    """Compare entries ``a`` and ``b``.

    A problem is a tie when the two scores differ by at most ``tie_tolerance``
    (relative); ties are left out of both tests.
    """
    pairs = paired_scores(results, a, b)
    log_ratios = [math.log(p.score_a) - math.log(p.score_b) for p in pairs]
    tolerance = math.log1p(tie_tolerance)
    differences = [0.0 if abs(d) <= tolerance else d for d in log_ratios]
    wins = sum(d > 0 for d in differences)
    losses = sum(d < 0 for d in differences)
    ratios = [math.exp(d) for d in log_ratios]
    return Comparison(
        technique_a=a[0],
        model_a=a[1],
        technique_b=b[0],
        model_b=b[1],
        problems=len(pairs),
        wins=wins,
        losses=losses,
        ties=len(pairs) - wins - losses,
        ratio=estimate(
            ratios, geometric_mean, resamples=resamples, confidence=confidence, seed=seed
        ),
        wilcoxon_p=wilcoxon_signed_rank(differences),
        sign_p=sign_test(wins, losses),
    )
