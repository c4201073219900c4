"""The batch runner.

Each phase is idempotent against the store: whatever is already stored is not redone, so
a run killed at any moment (Ctrl-C, ``kill -9``, a lost machine) continues with
``optbench run --resume RUN_ID`` and ends with the same rows as an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from optbench.core.problem import Problem
from optbench.core.verdict import Stage, Verdict, VerdictStatus
from optbench.datasets import Dataset, load_dataset
from optbench.measure import machine_info
from optbench.run.config import NO_MODEL, ConfigError, RunConfig
from optbench.run.environment import environment
from optbench.run.evaluator import RunEvaluator
from optbench.store import Store
from optbench.techniques.context import Budget, BudgetExhausted, Context
from optbench.techniques.registry import Technique, create_technique
from optbench.verify import VerifyConfig, verify

DEFAULT_EXAMPLES = {"quick": 100, "default": 200, "rigorous": 500}


class RunInterrupted(Exception):
    def __init__(self, run_id: int) -> None:
        super().__init__(f"run {run_id} interrupted; resume with: optbench run --resume {run_id}")
        self.run_id = run_id


@dataclass
class Task:
    technique: Technique
    model: str
    problem: Problem


@dataclass
class RunSummary:
    run_id: int
    candidates: int = 0
    verified: int = 0
    measured: int = 0
    technique_errors: list[str] = field(default_factory=list)


def _verify_job(problem: Problem, code: str, config: VerifyConfig) -> dict[str, Any]:
    try:
        return verify(problem, code, config).to_dict()
    except Exception as exc:  # the verifier itself failed: record it, never lose the run
        return Verdict(
            VerdictStatus.ERROR,
            Stage.STATIC,
            message=f"verifier failed: {type(exc).__name__}: {exc}",
        ).to_dict()


class Runner:
    def __init__(self, store: Store, console: Console | None = None) -> None:
        self.store = store
        self.console = console or Console(stderr=True)

    # ---- entry points -------------------------------------------------------------

    def start(self, config: RunConfig) -> int:
        dataset = load_dataset(config.dataset)
        problems = self._select(dataset, config)
        tasks = self._tasks(config, problems)  # validates techniques and models before storing
        run_id = self.store.create_run(
            name=config.name,
            dataset=dataset.name,
            dataset_version=dataset.version,
            dataset_hash=dataset.content_hash,
            config={
                "run": config.to_dict(),
                "techniques": [
                    {"name": t.name, "label": t.label, "args": t.args} for t in _unique(tasks)
                ],
                "problems": [p.id for p in problems],
                "budget": self._budget(config).to_dict(),
            },
            environment=environment(machine_info()),
        )
        self._report_skipped(dataset)
        return self._execute(run_id, config, dataset, problems, tasks)

    def resume(self, run_id: int) -> int:
        info = self.store.get_run(run_id)
        if info.status == "finished":
            self.console.print(f"run {run_id} is already finished")
            return run_id
        config = RunConfig.from_dict(info.config.get("run", {}), source=f"run {run_id}")
        dataset = load_dataset(config.dataset)
        if dataset.content_hash != info.dataset_hash:
            raise ConfigError(
                f"run {run_id}: dataset {dataset.name!r} changed since the run started "
                f"(hash {info.dataset_hash[:12]} then, {dataset.content_hash[:12]} now)"
            )
        wanted = info.config.get("problems")
        problems = [dataset.get(pid) for pid in wanted] if wanted else self._select(dataset, config)
        tasks = self._tasks(config, problems)
        self.console.print(f"resuming run {run_id}")
        return self._execute(run_id, config, dataset, problems, tasks)

    # ---- planning -----------------------------------------------------------------

    def _select(self, dataset: Dataset, config: RunConfig) -> list[Problem]:
        problems = sorted(dataset.problems, key=lambda p: p.id)
        if config.problems:
            known = {p.id for p in problems}
            missing = [pid for pid in config.problems if pid not in known]
            if missing:
                raise ConfigError(
                    f"field 'problems': not in dataset {dataset.name!r}: {', '.join(missing)}"
                )
            problems = [p for p in problems if p.id in set(config.problems)]
        if config.limit is not None:
            problems = problems[: config.limit]
        if not problems:
            raise ConfigError(f"no problems selected from dataset {dataset.name!r}")
        return problems

    def _tasks(self, config: RunConfig, problems: list[Problem]) -> list[Task]:
        tasks: list[Task] = []
        for name, args in config.technique_specs():
            try:
                technique = create_technique(name, **args)
            except (KeyError, TypeError) as exc:
                raise ConfigError(
                    f"field 'techniques': {exc.args[0] if exc.args else exc}"
                ) from exc
            if technique.uses_model and not config.models:
                raise ConfigError(
                    f"technique {name!r} needs a model: pass --model (e.g. openai:MODEL@URL, hf:PATH, fake:...)"
                )
            models = config.models if technique.uses_model else [NO_MODEL]
            for model in models:
                tasks.extend(Task(technique, model, problem) for problem in problems)
        return tasks

    def _budget(self, config: RunConfig) -> Budget:
        return Budget(samples=config.samples, rounds=config.rounds, tokens=config.tokens)

    def _report_skipped(self, dataset: Dataset) -> None:
        for error in dataset.skipped:
            self.console.print(f"[yellow]skipped problem[/]: {error}")

    # ---- phases -------------------------------------------------------------------

    def _execute(
        self,
        run_id: int,
        config: RunConfig,
        dataset: Dataset,
        problems: list[Problem],
        tasks: list[Task],
    ) -> int:
        verify_config = VerifyConfig(
            max_examples=config.max_examples or DEFAULT_EXAMPLES[config.profile]
        )
        evaluator = RunEvaluator(self.store, run_id, config.profile, verify_config)
        by_id = {p.id: p for p in problems}
        summary = RunSummary(run_id)
        self.store.set_run_status(run_id, "running")
        try:
            with self._progress() as progress:
                self._phase_plan(progress, evaluator, problems)
                self._phase_baseline(progress, evaluator, problems)
                self._phase_propose(progress, evaluator, config, dataset, tasks, summary)
                self._phase_verify(progress, evaluator, by_id, config, summary)
                self._phase_measure(progress, evaluator, by_id, summary)
        except KeyboardInterrupt:
            self.store.set_run_status(run_id, "interrupted")
            raise RunInterrupted(run_id) from None
        except BaseException:
            self.store.set_run_status(run_id, "failed")
            raise
        self.store.set_run_status(run_id, "finished")
        for message in summary.technique_errors:
            self.console.print(f"[yellow]technique stopped[/]: {message}")
        return run_id

    @contextmanager
    def _progress(self) -> Iterator[Progress]:
        progress = Progress(
            TextColumn("[bold]{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        with progress:
            yield progress

    def _phase_plan(
        self, progress: Progress, evaluator: RunEvaluator, problems: list[Problem]
    ) -> None:
        task = progress.add_task("plan", total=len(problems), rate="")
        for problem in problems:
            evaluator.problem_rows[problem.id] = self.store.upsert_problem(problem)
            progress.advance(task)

    def _phase_baseline(
        self, progress: Progress, evaluator: RunEvaluator, problems: list[Problem]
    ) -> None:
        task = progress.add_task("baseline", total=len(problems), rate="")
        for problem in problems:
            evaluator.baseline(problem)
            progress.advance(task)
            _rate(progress, task, "problems")

    def _phase_propose(
        self,
        progress: Progress,
        evaluator: RunEvaluator,
        config: RunConfig,
        dataset: Dataset,
        tasks: list[Task],
        summary: RunSummary,
    ) -> None:
        task = progress.add_task("propose", total=len(tasks), rate="")
        models: dict[str, Any] = {}
        for item in tasks:
            problem = item.problem
            model = None
            if item.model != NO_MODEL:
                model = self._model(item.model, models, evaluator.run_id, config)
            ctx = Context(
                problem=problem,
                technique=item.technique.label,
                model=model,
                evaluator=_bind(evaluator, problem),
                budget=self._budget(config),
                rng=random.Random(_seed(config.seed, item.technique.label, item.model, problem.id)),
                exemplars=[p for p in dataset.problems if p.id != problem.id and p.fast_source],
                model_spec=item.model,
                log=lambda message, p=problem, t=item.technique.label: self._log(p, t, message),
            )
            try:
                for candidate in item.technique.optimize(problem, ctx):
                    if candidate.id is None:
                        evaluator.add(problem, candidate)
                    summary.candidates += 1
            except BudgetExhausted as exc:
                summary.technique_errors.append(
                    f"{item.technique.label} on {problem.id}: budget reached ({exc})"
                )
            except Exception as exc:
                if type(exc).__name__ in ("BudgetExceeded",):
                    summary.technique_errors.append(
                        f"{item.technique.label} on {problem.id}: budget reached"
                    )
                else:
                    summary.technique_errors.append(
                        f"{item.technique.label} on {problem.id}: {type(exc).__name__}: {exc}"
                    )
            progress.advance(task)
            _rate(progress, task, "tasks")

    def _phase_verify(
        self,
        progress: Progress,
        evaluator: RunEvaluator,
        problems: dict[str, Problem],
        config: RunConfig,
        summary: RunSummary,
    ) -> None:
        pending = [c for c in self.store.candidates(evaluator.run_id) if c.verdict_status is None]
        task = progress.add_task("verify", total=len(pending), rate="")
        if not pending:
            return
        workers = config.workers or max(1, min(os.cpu_count() or 1, len(pending)))
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures: dict[Future[dict[str, Any]], int] = {}
            queue = list(pending)
            try:
                while queue or futures:
                    while queue and len(futures) < workers * 2:
                        cand = queue.pop(0)
                        futures[
                            pool.submit(
                                _verify_job,
                                problems[cand.problem_id],
                                cand.code,
                                evaluator.verify_config,
                            )
                        ] = cand.id
                    done, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for future in done:
                        candidate_id = futures.pop(future)
                        self.store.save_verdict(candidate_id, Verdict.from_dict(future.result()))
                        summary.verified += 1
                        progress.advance(task)
                        _rate(progress, task, "cand")
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    def _phase_measure(
        self,
        progress: Progress,
        evaluator: RunEvaluator,
        problems: dict[str, Problem],
        summary: RunSummary,
    ) -> None:
        pending = [
            c
            for c in self.store.candidates(evaluator.run_id)
            if c.verdict_status == VerdictStatus.EQUIVALENT.value and c.speedup is None
        ]
        pending = [c for c in pending if self.store.measurement(c.id) is None]
        task = progress.add_task("measure", total=len(pending), rate="")
        for cand in pending:
            evaluator.measurement(problems[cand.problem_id], cand.id, cand.code)
            summary.measured += 1
            progress.advance(task)
            _rate(progress, task, "cand")

    # ---- helpers ------------------------------------------------------------------

    def _model(self, spec: str, backends: dict[str, Any], run_id: int, config: RunConfig) -> Any:
        """A model for one (technique, problem): the shared backend behind the store's
        generation cache, with its own token budget."""
        from optbench.models import Budget as CallBudget
        from optbench.models import CachedModel, StoreCache, load_model

        backend = backends.get(spec)
        if backend is None:
            options: dict[str, Any] = {"store": self.store} if spec.startswith("replay:") else {}
            backend = backends[spec] = load_model(spec, **options)
        budget = CallBudget(max_tokens=config.tokens) if config.tokens else None
        return CachedModel(
            backend, StoreCache(self.store), budget=budget, run_id=run_id, use_cache=config.use_cache
        )

    def _log(self, problem: Problem, technique: str, message: str) -> None:
        self.console.log(f"{technique} on {problem.id}: {message}")


def _bind(evaluator: RunEvaluator, problem: Problem) -> Callable[[Any], Any]:
    return lambda candidate: evaluator.evaluate(problem, candidate)


def _seed(seed: int, *parts: str) -> int:
    digest = hashlib.sha256("/".join([str(seed), *parts]).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _rate(progress: Progress, task_id: Any, unit: str) -> None:
    task = next((t for t in progress.tasks if t.id == task_id), None)
    if task is None or not task.elapsed:
        return
    per_minute = task.completed / task.elapsed * 60
    progress.update(task_id, rate=f"{per_minute:.1f} {unit}/min")


def _unique(tasks: list[Task]) -> list[Technique]:
    seen: dict[str, Technique] = {}
    for task in tasks:
        seen.setdefault(task.technique.label, task.technique)
    return list(seen.values())
