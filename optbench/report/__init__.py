"""Report queries shared by the CLI and the dashboard: PIE metrics per (technique,
model) with confidence intervals and their variants (clamped or not, pass@k/speedup@k,
%Opt over all or correct problems, repeated runs averaged or pooled best-of), confirmed
per-problem results, verdict breakdowns, paired comparisons, run progress, cost
frontiers, and their rendering as table, Markdown, CSV or JSON (exports carry the runs,
configs, dataset hashes and version that produced them)."""

from optbench.report._compare import Comparison, PairedScore, compare_results, paired_scores
from optbench.report._data import (
    ALL_PROBLEMS,
    OUTCOMES,
    CandidateRecord,
    ProblemFilter,
    load_records,
)
from optbench.report._format import FORMATS, format_report, render
from optbench.report._metrics import (
    OPT_OVER,
    OPT_THRESHOLD,
    POOLS,
    Entry,
    MetricsRow,
    OptOver,
    Pool,
    ProblemMean,
    ProblemResult,
    Reported,
    metrics,
    problem_means,
    problem_results,
    to_confirm,
)
from optbench.report._notes import at_k_titles, report_notes
from optbench.report._pareto import BENEFITS, COSTS, CostPoint, cost_frontier, pareto_front
from optbench.report._problems import (
    LineageNode,
    ProblemInfo,
    candidate_calls,
    lineage,
    problem_candidates,
    problem_catalog,
)
from optbench.report._provenance import csv_with_meta, json_with_meta, read_csv_meta, report_meta
from optbench.report._queries import compare, paired, per_problem, summarize
from optbench.report._runs import RunProgress, RunSummary, run_overview
from optbench.report._state import database_state, running_entries
from optbench.report._verdicts import (
    CATEGORIES,
    VERDICT_TITLES,
    VerdictCounts,
    verdict_counts,
    verdict_table,
)

__all__ = [
    "ALL_PROBLEMS",
    "BENEFITS",
    "CATEGORIES",
    "COSTS",
    "FORMATS",
    "OPT_OVER",
    "OPT_THRESHOLD",
    "OUTCOMES",
    "POOLS",
    "VERDICT_TITLES",
    "CandidateRecord",
    "Comparison",
    "CostPoint",
    "Entry",
    "LineageNode",
    "MetricsRow",
    "OptOver",
    "PairedScore",
    "Pool",
    "ProblemFilter",
    "ProblemInfo",
    "ProblemMean",
    "ProblemResult",
    "Reported",
    "RunProgress",
    "RunSummary",
    "VerdictCounts",
    "at_k_titles",
    "candidate_calls",
    "compare",
    "compare_results",
    "cost_frontier",
    "csv_with_meta",
    "database_state",
    "format_report",
    "json_with_meta",
    "lineage",
    "load_records",
    "metrics",
    "paired",
    "paired_scores",
    "pareto_front",
    "per_problem",
    "problem_candidates",
    "problem_catalog",
    "problem_means",
    "problem_results",
    "read_csv_meta",
    "render",
    "report_meta",
    "report_notes",
    "run_overview",
    "running_entries",
    "summarize",
    "to_confirm",
    "verdict_counts",
    "verdict_table",
]
