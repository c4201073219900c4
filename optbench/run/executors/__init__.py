"""Where the run's baseline, verify and measure phases execute: locally (the default) or
on a Ray cluster. Both yield the same outcomes; the runner stores them."""

from __future__ import annotations

from optbench.errors import OptbenchError
from optbench.run.config import EXECUTOR_NAMES
from optbench.run.executors.base import (
    BaselineJob,
    BaselineOutcome,
    Executor,
    MeasureJob,
    MeasureOutcome,
    VerifyJob,
    VerifyOutcome,
)
from optbench.run.executors.local import LocalExecutor

EXECUTORS = EXECUTOR_NAMES


class ExecutorUnavailable(OptbenchError, RuntimeError):
    """The executor cannot be used here (Ray not installed)."""


def make_executor(
    name: str, *, workers: int | None = None, ray_address: str | None = None
) -> Executor:
    if name == "local":
        return LocalExecutor(workers)
    if name == "ray":
        try:
            from optbench.run.executors.ray_executor import RayExecutor
        except ImportError as exc:
            raise ExecutorUnavailable(
                f"executor 'ray' needs Ray: pip install 'optbench[ray]' ({exc})"
            ) from exc
        return RayExecutor(ray_address)
    raise ValueError(f"unknown executor {name!r}; expected one of {EXECUTORS}")


__all__ = [
    "EXECUTORS",
    "BaselineJob",
    "BaselineOutcome",
    "Executor",
    "ExecutorUnavailable",
    "LocalExecutor",
    "MeasureJob",
    "MeasureOutcome",
    "VerifyJob",
    "VerifyOutcome",
    "make_executor",
]
