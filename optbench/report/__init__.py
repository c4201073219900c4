"""Report queries shared by the CLI and the dashboard: PIE metrics per (technique,
model) with bootstrap intervals and their variants (clamped or not, best@k, %Opt over
all or correct problems), per-problem results, paired comparisons, run progress, cost
frontiers, and their rendering as table, Markdown, CSV or JSON."""

from optbench.report._compare import Comparison, PairedScore, compare_results, paired_scores
from optbench.report._data import ALL_PROBLEMS, CandidateRecord, ProblemFilter, load_records
from optbench.report._format import FORMATS, format_report, render
from optbench.report._metrics import (
    OPT_OVER,
    OPT_THRESHOLD,
    Entry,
    MetricsRow,
    OptOver,
    ProblemResult,
    metrics,
    problem_results,
)
from optbench.report._pareto import BENEFITS, COSTS, CostPoint, cost_frontier, pareto_front
from optbench.report._problems import (
    LineageNode,
    ProblemInfo,
    candidate_calls,
    lineage,
    problem_candidates,
    problem_catalog,
)
from optbench.report._queries import compare, paired, per_problem, summarize
from optbench.report._runs import RunProgress, RunSummary, run_overview

__all__ = [
    "ALL_PROBLEMS",
    "BENEFITS",
    "COSTS",
    "FORMATS",
    "OPT_OVER",
    "OPT_THRESHOLD",
    "CandidateRecord",
    "Comparison",
    "CostPoint",
    "Entry",
    "LineageNode",
    "MetricsRow",
    "OptOver",
    "PairedScore",
    "ProblemFilter",
    "ProblemInfo",
    "ProblemResult",
    "RunProgress",
    "RunSummary",
    "candidate_calls",
    "compare",
    "compare_results",
    "cost_frontier",
    "format_report",
    "lineage",
    "load_records",
    "metrics",
    "paired",
    "paired_scores",
    "pareto_front",
    "per_problem",
    "problem_candidates",
    "problem_catalog",
    "problem_results",
    "render",
    "run_overview",
    "summarize",
]
