"""optbench from Python: the same steps as the command line, for notebooks and scripts.

    from optbench import api

    dataset = api.load_dataset("optbench-py")
    problem = dataset.get("pair-sum-count")
    verdict = api.verify(problem, problem.fast_source)          # Hypothesis, sandboxed
    measured = api.measure(problem, problem.fast_source)        # pyperf, with an interval
    run_id = api.run(["identity", "reference"], dataset="optbench-py", limit=3, db=URL)
    for row in api.report([run_id], db=URL):
        print(row.technique, row.correct_pct, row.speedup_geomean)

Every function raises an :class:`~optbench.errors.OptbenchError` for a bad input (unknown
dataset, bad technique or model spec, unusable database).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console

from optbench.core import Problem, Verdict
from optbench.datasets import Dataset
from optbench.datasets import load_dataset as _load_dataset
from optbench.errors import OptbenchError
from optbench.measure import CandidateMeasurement
from optbench.measure import measure as _measure
from optbench.report import MetricsRow, summarize
from optbench.run.config import RunConfig
from optbench.store import open_store
from optbench.verify import VerifyConfig
from optbench.verify import verify as _verify

__all__ = ["OptbenchError", "load_dataset", "measure", "report", "run", "verify"]


def load_dataset(name_or_path: str) -> Dataset:
    """A bundled dataset by name (``optbench-py``) or a dataset folder."""
    return _load_dataset(name_or_path)


def verify(problem: Problem, code: str, examples: int = 100, seed: int | None = None) -> Verdict:
    """Is ``code`` equivalent to the problem's original? Given tests, edge cases and
    ``examples`` Hypothesis inputs (another draw for each ``seed``), in the sandbox."""
    return _verify(problem, code, VerifyConfig(max_examples=examples, seed=seed))


def measure(problem: Problem, code: str, profile: str = "quick") -> CandidateMeasurement:
    """Speedup (and memory ratio) of ``code`` over the original, each with its interval;
    raises :class:`~optbench.measure.MeasurementError` when it cannot be measured."""
    return _measure(problem, code, profile)


def run(
    techniques: Sequence[str],
    *,
    dataset: str = "optbench-py",
    models: Sequence[str] = (),
    db: str | None = None,
    quiet: bool = True,
    **options: Any,
) -> int:
    """A batch run, as ``optbench run``: ``options`` are its config fields (``limit``,
    ``problems``, ``profile``, ``seed``, ``samples``, ``split``, ...). Returns the run id."""
    from optbench.run.runner import Runner

    config = RunConfig()
    config.update(
        {"techniques": list(techniques), "models": list(models), "dataset": dataset, **options},
        "api",
    )
    console = Console(quiet=True) if quiet else None
    with open_store(db) as store:
        return Runner(store, console=console).start(config)


def report(
    run_ids: Sequence[int] | None = None, *, db: str | None = None, **variants: Any
) -> list[MetricsRow]:
    """The report's rows (one per technique and model) for ``run_ids`` (all runs when
    None); ``variants`` as :func:`optbench.report.summarize` takes them (``clamp``, ``k``,
    ``pool``, ``opt_over``, ...)."""
    with open_store(db) as store:
        return summarize(store, run_ids, **variants)
