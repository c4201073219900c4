"""Timing and peak memory of the original and a candidate on the same workload.

pyperf runs in a sandboxed subprocess (:mod:`optbench.runtime.measure_worker`), pinned to one
core held under a cross-process lock; the speedup and memory ratio come with bootstrap
confidence intervals. See :mod:`optbench.measure.harness` for how one side is measured.
"""

from optbench.measure.corelock import CoreBusy, CoreLock, default_core
from optbench.measure.harness import (
    BaselineResult,
    CandidateMeasurement,
    measure,
    measure_baseline,
    measure_candidate,
    measure_candidates,
    workload_verdict,
)
from optbench.measure.machine import machine_id, machine_info
from optbench.measure.profiles import PROFILES, MeasureProfile, get_profile
from optbench.measure.runs import MeasurementError
from optbench.measure.stats import compare_values, ratio_interval

__all__ = [
    "PROFILES",
    "BaselineResult",
    "CandidateMeasurement",
    "CoreBusy",
    "CoreLock",
    "MeasureProfile",
    "MeasurementError",
    "compare_values",
    "default_core",
    "get_profile",
    "machine_id",
    "machine_info",
    "measure",
    "measure_baseline",
    "measure_candidate",
    "measure_candidates",
    "ratio_interval",
    "workload_verdict",
]
