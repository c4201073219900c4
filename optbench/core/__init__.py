"""The vocabulary of optbench: problems, candidates, verdicts and measurements."""

from optbench.core.candidate import Candidate
from optbench.core.measurement import Measurement, MetricResult, Stats
from optbench.core.problem import ComparePolicy, InputSpec, Problem, ProblemKind, ProgramTest
from optbench.core.verdict import Counterexample, Stage, Verdict, VerdictStatus

__all__ = [
    "Candidate",
    "ComparePolicy",
    "Counterexample",
    "InputSpec",
    "Measurement",
    "MetricResult",
    "Problem",
    "ProblemKind",
    "ProgramTest",
    "Stage",
    "Stats",
    "Verdict",
    "VerdictStatus",
]
