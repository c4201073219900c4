"""Ray: verification, baselines and measurements as Ray tasks, on one machine or many.

Timing: a measuring task asks for one ``timing_slot`` (a custom resource each node
offers once: ``ray start --resources='{"timing_slot": 1}'``), so a node runs one
measurement at a time; inside, the measurer still pins pyperf to a core held under the
machine-wide core lock. A baseline is measured on every machine that measures and a
candidate is compared only with its own machine's baseline.

Faults: a task whose worker dies (crash, OOM kill, lost node) is retried by Ray up to
``RETRIES`` times, then recorded once as lost; an exception raised by the job itself is
deterministic and is not retried. The driver writes every outcome, so a retry never
duplicates a row.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Generator, Sequence
from typing import Any, TypeVar

import ray
from ray.exceptions import RayError, RayTaskError
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from optbench.measure import machine_id
from optbench.run.executors.base import (
    BaselineJob,
    BaselineOutcome,
    Executor,
    MeasureJob,
    MeasureOutcome,
    VerifyJob,
    VerifyOutcome,
    lost_measurement,
    lost_verdict,
    run_baseline,
    run_measure,
    run_verify,
)

TIMING_SLOT = "timing_slot"
RETRIES = 2
OBJECT_STORE_BYTES = 256 * 1024**2
WAIT_S = 1.0

J = TypeVar("J")
R = TypeVar("R")


@ray.remote(num_cpus=1, max_retries=RETRIES, retry_exceptions=False)
def _verify_task(job: VerifyJob) -> VerifyOutcome:
    return run_verify(job)


@ray.remote(num_cpus=1, max_retries=RETRIES, retry_exceptions=False)
def _baseline_task(job: BaselineJob) -> BaselineOutcome:
    return run_baseline(job)


@ray.remote(num_cpus=1, max_retries=RETRIES, retry_exceptions=False)
def _measure_task(job: MeasureJob) -> MeasureOutcome:
    return run_measure(job)


@ray.remote(num_cpus=0, max_retries=RETRIES)
def _machine_task() -> str:
    return machine_id()


class RayExecutor(Executor):
    name = "ray"

    def __init__(self, address: str | None = None, cpus: int | None = None) -> None:
        self.address = address
        self.cpus = cpus
        self._owned = False
        self._nodes: dict[str, str] | None = None
        """A node id per machine id (one node measures each machine's baselines)."""

    # ---- cluster ----------------------------------------------------------------------

    def open(self) -> None:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        if ray.is_initialized():
            return
        if self.address:
            ray.init(address=self.address, log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(
                address="local",
                num_cpus=self.cpus or os.cpu_count() or 1,
                resources={TIMING_SLOT: 1},
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.WARNING,
                object_store_memory=OBJECT_STORE_BYTES,
            )
        self._owned = True

    def close(self) -> None:
        if self._owned and ray.is_initialized():
            ray.shutdown()
        self._owned = False

    def describe(self) -> str:
        resources = ray.cluster_resources()
        where = self.address or "local cluster"
        return (
            f"ray ({where}: {len(self._alive())} nodes, {resources.get('CPU', 0):.0f} CPUs, "
            f"{resources.get(TIMING_SLOT, 0):.0f} timing slots)"
        )

    def _timing_options(self) -> dict[str, Any]:
        """One timing slot per measuring task, when the cluster offers them; otherwise
        only the machine-wide core lock keeps timings apart."""
        if ray.cluster_resources().get(TIMING_SLOT, 0) >= 1:
            return {"resources": {TIMING_SLOT: 1}}
        return {}

    def _alive(self) -> list[dict[str, Any]]:
        nodes = [n for n in ray.nodes() if n.get("Alive") and n["Resources"].get("CPU", 0) > 0]
        timing = [n for n in nodes if n["Resources"].get(TIMING_SLOT, 0) >= 1]
        return timing or nodes

    def machines(self) -> list[str]:
        if self._nodes is None:
            refs = {
                node["NodeID"]: _machine_task.options(
                    scheduling_strategy=NodeAffinitySchedulingStrategy(node["NodeID"], soft=False)
                ).remote()
                for node in self._alive()
            }
            self._nodes = {}
            for node_id, ref in refs.items():
                self._nodes.setdefault(ray.get(ref), node_id)
        return sorted(self._nodes)

    # ---- phases -----------------------------------------------------------------------

    def baselines(self, jobs: Sequence[BaselineJob]) -> Generator[BaselineOutcome, None, None]:
        self.machines()
        nodes = self._nodes or {}
        options = self._timing_options()

        def submit(job: BaselineJob) -> Any:
            strategy = NodeAffinitySchedulingStrategy(nodes[job.machine_id], soft=False)
            return _baseline_task.options(scheduling_strategy=strategy, **options).remote(job)

        return _stream(jobs, submit, None, self._window())

    def verify(self, jobs: Sequence[VerifyJob]) -> Generator[VerifyOutcome, None, None]:
        return _stream(jobs, _verify_task.remote, lost_verdict, self._window())

    def measure(self, jobs: Sequence[MeasureJob]) -> Generator[MeasureOutcome, None, None]:
        options = self._timing_options()

        def submit(job: MeasureJob) -> Any:
            return _measure_task.options(**options).remote(job)

        return _stream(jobs, submit, lost_measurement, self._window())

    def _window(self) -> int:
        return max(2, 2 * int(ray.cluster_resources().get("CPU", 1)))


def _stream(
    jobs: Sequence[J],
    submit: Callable[[J], Any],
    lost: Callable[[J, str], R] | None,
    window: int,
) -> Generator[R, None, None]:
    """Submit at most ``window`` jobs at a time and yield outcomes as tasks finish. A job
    whose retries ran out becomes ``lost(job, why)``; an exception the job raised is
    raised here as itself. Closing the iterator cancels the tasks still in flight."""
    queue = list(jobs)
    inflight: dict[Any, J] = {}
    try:
        while queue or inflight:
            while queue and len(inflight) < window:
                job = queue.pop(0)
                inflight[submit(job)] = job
            done, _ = ray.wait(list(inflight), num_returns=1, timeout=WAIT_S)
            for ref in done:
                job = inflight.pop(ref)
                try:
                    outcome = ray.get(ref)
                except RayTaskError as exc:
                    raise exc.as_instanceof_cause() from None
                except RayError as exc:
                    if lost is None:
                        raise
                    outcome = lost(job, _one_line(exc))
                yield outcome
    finally:
        for ref in inflight:
            with contextlib.suppress(Exception):
                ray.cancel(ref, force=True)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {first}"[:300]
