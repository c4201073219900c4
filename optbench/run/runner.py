"""The batch runner.

Each phase is idempotent against the store: whatever is already stored is not redone, so
a run killed at any moment (Ctrl-C, ``kill -9``, a lost machine) continues with
``optbench run --resume RUN_ID`` and ends with the same rows as an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
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

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.core.verdict import Stage, Verdict, VerdictStatus
from optbench.datasets import Dataset, load_dataset
from optbench.errors import OptbenchError
from optbench.measure import BaselineResult, machine_info
from optbench.models.errors import BudgetExceeded
from optbench.run.config import NO_MODEL, ConfigError, RunConfig
from optbench.run.environment import environment
from optbench.run.evaluator import RunEvaluator, save_baseline, stored_baseline
from optbench.run.executors import (
    BaselineJob,
    Executor,
    ExecutorUnavailable,
    MeasureJob,
    VerifyJob,
    make_executor,
)
from optbench.run.executors.base import same_baseline
from optbench.run.pool import NO_POOL, RetrievalPool, default_retrieve_from, retrieval_pool
from optbench.store import Store
from optbench.techniques.context import Budget, BudgetExhausted, Context
from optbench.techniques.registry import Technique, create_technique
from optbench.verify import VerifyConfig

OUTCOMES = ("no_code", "model_error")
"""Technique log messages that are recorded as candidates without code."""

DEFAULT_EXAMPLES = {"smoke": 30, "quick": 100, "default": 200, "rigorous": 500, "instructions": 100}
MAX_CONFIRM_PASSES = 5
"""Selections made again after confirmations overturned verdicts, at most."""


class RunInterrupted(OptbenchError):
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
    confirmed: int = 0
    overturned: int = 0
    """Equivalent verdicts overturned by what the candidate did on the workload."""
    technique_errors: list[str] = field(default_factory=list)
    baseline_errors: list[str] = field(default_factory=list)


class RunPlanner:
    """What a run will do, decided from its config alone (no store)."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)

    def check(self, config: RunConfig) -> None:
        """Raise :class:`ConfigError` for anything in ``config`` that would stop the run
        (dataset, problems, techniques and their arguments, model specs, the retrieval
        pool): nothing is written for a run that cannot start."""
        dataset = _load(config)
        problems = self._select(dataset, config)
        tasks = self._tasks(config, problems)
        self._pool(config, dataset, problems, tasks, quiet=True)

    # ---- planning -----------------------------------------------------------------

    def _select(self, dataset: Dataset, config: RunConfig) -> list[Problem]:
        """The evaluated problems: the split's (default ``eval``, or ``all`` when problems
        are named), then the named ones, then the first ``limit``. The resolved split is
        written back into ``config`` so that the run records it."""
        if config.split is None:
            config.split = "all" if config.problems else "eval"
        problems = sorted(dataset.split(config.split), key=lambda p: p.id)
        if not problems and config.split != "all":
            raise ConfigError(
                f"field 'split': dataset {dataset.name!r} has no {config.split} problems"
                + (
                    " (it declares no [splits]: every problem is eval)"
                    if not dataset.has_splits
                    else ""
                )
            )
        if config.problems:
            known = {p.id for p in problems}
            missing = [pid for pid in config.problems if pid not in known]
            anywhere = {p.id for p in dataset.problems}
            if [pid for pid in missing if pid not in anywhere]:
                absent = ", ".join(pid for pid in missing if pid not in anywhere)
                raise ConfigError(f"field 'problems': not in dataset {dataset.name!r}: {absent}")
            if missing:
                raise ConfigError(
                    f"field 'problems': not in split {config.split!r} of dataset "
                    f"{dataset.name!r}: {', '.join(missing)} (pass --split all)"
                )
            problems = [p for p in problems if p.id in set(config.problems)]
        if config.limit is not None:
            problems = problems[: config.limit]
        if not problems:
            raise ConfigError(f"no problems selected from dataset {dataset.name!r}")
        return problems

    def _pool(
        self,
        config: RunConfig,
        dataset: Dataset,
        problems: list[Problem],
        tasks: list[Task],
        *,
        quiet: bool = False,
    ) -> RetrievalPool:
        """The retrieval pool, guarded against ``problems``; a technique that shows examples
        with no pool to draw them from is a configuration error unless ``retrieve_from`` is
        ``none``. The resolved ``retrieve_from`` is written back into ``config``."""
        missing = ""
        if config.retrieve_from is None:
            config.retrieve_from = default_retrieve_from(config.dataset, dataset)
            if config.retrieve_from == NO_POOL:
                missing = f"dataset {dataset.name!r} has no train split"
        elif config.retrieve_from == NO_POOL:
            missing = "--retrieve-from none"
        try:
            pool = retrieval_pool(config.retrieve_from, problems, missing=missing)
        except ValueError as exc:
            raise ConfigError(f"field 'retrieve_from': {exc}") from None
        users = sorted({t.technique.label for t in tasks if t.technique.uses_exemplars})
        if not users:
            return pool
        if not pool.problems and missing != "--retrieve-from none":
            raise ConfigError(
                f"{', '.join(users)} show examples from a retrieval pool, but there is none: "
                f"{pool.missing}; name one with --retrieve-from DATASET[:SPLIT] "
                "(or --retrieve-from none to run without examples)"
            )
        if not quiet:
            self.console.print(pool.describe(), highlight=False)
        return pool

    def _tasks(self, config: RunConfig, problems: list[Problem]) -> list[Task]:
        tasks: list[Task] = []
        for model in config.models:  # named, so checked, even where no technique uses it
            _check_spec(model, probe=False)
        for name, args in config.technique_specs():
            try:
                technique = create_technique(name, **args)
            except (KeyError, TypeError, ValueError) as exc:
                raise ConfigError(
                    f"field 'techniques': {name}: {exc.args[0] if exc.args else exc}"
                ) from exc
            if technique.uses_model and not config.models:
                raise ConfigError(
                    f"technique {name!r} needs a model: pass --model (e.g. openai:MODEL@URL, hf:PATH, fake:...)"
                )
            models = config.models if technique.uses_model else [NO_MODEL]
            for model in models:
                if model != NO_MODEL:
                    _check_spec(model)
                tasks.extend(Task(technique, model, problem) for problem in problems)
        return tasks


class Runner(RunPlanner):
    def __init__(self, store: Store, console: Console | None = None) -> None:
        super().__init__(console)
        self.store = store

    # ---- entry points -------------------------------------------------------------

    def start(self, config: RunConfig) -> int:
        dataset = _load(config)
        problems = self._select(dataset, config)
        tasks = self._tasks(config, problems)  # validates techniques and models before storing
        pool = self._pool(config, dataset, problems, tasks)
        executor = self._executor(config)
        split = config.split or "all"
        if dataset.has_splits and split != "all":
            self.console.print(
                f"evaluating {len(problems)} problem(s) of split {split} of {dataset.name} "
                f"({len(dataset.split(split))} of {len(dataset.problems)} problems; "
                "--split all for every one)"
            )
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
                "retrieval": pool.record(),
            },
            environment=environment(machine_info()),
        )
        self._report_skipped(dataset)
        return self._execute(run_id, config, dataset, problems, tasks, executor, pool.problems)

    def evaluate(self, config: RunConfig, path: Path, resume: int | None = None) -> int:
        """A run over generations made elsewhere (see :mod:`optbench.run.samples`): each
        (technique, model) label of the file is an entry, its samples are its candidates,
        verified, measured and confirmed like any run's. ``resume`` continues such a run
        with the same file."""
        from optbench.run.samples import SampleReplay, read_samples

        dataset = _load(config)
        read = read_samples(path, {p.id: p for p in dataset.problems})
        for error in read.errors:
            self.console.print(f"left out: {error}", markup=False, highlight=False)
        if not read.samples:
            raise ConfigError(f"{path}: no usable sample ({len(read.errors)} line(s) left out)")
        wanted = sorted({s.problem_id for s in read.samples})
        problems = [dataset.get(pid) for pid in wanted]
        entries = sorted({(s.technique, s.model) for s in read.samples})
        replays = {t: SampleReplay(t, read.samples) for t, _ in entries}
        tasks = [Task(replays[t], m, p) for t, m in entries for p in problems]
        config.split, config.problems = "all", wanted
        config.techniques = sorted(replays)
        config.models = sorted({m for _, m in entries})
        executor = self._executor(config)
        record = {"path": str(path), "sha256": read.sha256, "samples": len(read.samples)}
        if resume is None:
            run_id = self.store.create_run(
                name=config.name or path.name,
                dataset=dataset.name,
                dataset_version=dataset.version,
                dataset_hash=dataset.content_hash,
                config={
                    "run": config.to_dict(),
                    "techniques": [{"name": "samples", "label": t, "args": {}} for t in replays],
                    "problems": wanted,
                    "samples": {**record, "left_out": read.errors[:100]},
                },
                environment=environment(machine_info()),
            )
        else:
            run_id = resume
            stored = self.store.get_run(run_id).config.get("samples") or {}
            if stored.get("sha256") != read.sha256:
                raise ConfigError(f"run {run_id} did not evaluate this samples file ({path})")
        self.console.print(
            f"{len(read.samples)} sample(s) of {len(entries)} (technique, model) "
            f"entr{'y' if len(entries) == 1 else 'ies'} on {len(problems)} problem(s)"
        )
        return self._execute(run_id, config, dataset, problems, tasks, executor)

    def resume(
        self, run_id: int, *, executor: str | None = None, ray_address: str | None = None
    ) -> int:
        """Continue ``run_id``; ``executor`` (and ``ray_address``) run the rest elsewhere
        than the run started: a run started on Ray resumes locally and vice versa."""
        info = self.store.get_run(run_id)
        if "samples" in info.config and info.status != "finished":
            raise ConfigError(
                f"run {run_id} evaluates a samples file: continue it with "
                f"optbench evaluate {info.config['samples'].get('path', 'FILE')} --resume {run_id}"
            )
        if info.status == "finished":
            self.console.print(f"run {run_id} is already finished")
            return run_id
        config = RunConfig.from_dict(info.config.get("run", {}), source=f"run {run_id}")
        if executor is not None or ray_address is not None:
            config.executor = executor or ("ray" if ray_address else config.executor)
            config.ray_address = ray_address if config.executor == "ray" else None
            config.validate("command line")
        dataset = _load(config)
        if dataset.content_hash != info.dataset_hash:
            raise ConfigError(
                f"run {run_id}: dataset {dataset.name!r} changed since the run started "
                f"(hash {info.dataset_hash[:12]} then, {dataset.content_hash[:12]} now)"
            )
        wanted = info.config.get("problems")
        problems = [dataset.get(pid) for pid in wanted] if wanted else self._select(dataset, config)
        tasks = self._tasks(config, problems)
        pool = self._pool(config, dataset, problems, tasks)
        recorded = info.config.get("retrieval")
        if recorded is not None and recorded.get("kept") != pool.record()["kept"]:
            raise ConfigError(
                f"run {run_id}: retrieval pool {pool.spec} changed since the run started"
            )
        runner_executor = self._executor(config)
        self.console.print(f"resuming run {run_id}")
        return self._execute(
            run_id, config, dataset, problems, tasks, runner_executor, pool.problems
        )

    def _executor(self, config: RunConfig) -> Executor:
        try:
            return make_executor(
                config.executor, workers=config.workers, ray_address=config.ray_address
            )
        except ExecutorUnavailable as exc:
            raise ConfigError(str(exc)) from exc

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
        executor: Executor,
        exemplars: Sequence[Problem] = (),
    ) -> int:
        verify_config = VerifyConfig(
            max_examples=config.max_examples or DEFAULT_EXAMPLES[config.profile]
        )
        evaluator = RunEvaluator(
            self.store, run_id, config.profile, verify_config, seed=config.seed
        )
        by_id = {p.id: p for p in problems}
        summary = RunSummary(run_id)
        try:
            executor.open()
        except Exception as exc:
            executor.close()
            raise ConfigError(
                f"executor {config.executor!r} could not start: {type(exc).__name__}: {exc}"
            ) from exc
        self.store.set_run_status(run_id, "running")
        try:
            with self._progress() as progress, closing(executor):
                self.console.print(f"executor: {executor.describe()}")
                self._phase_plan(progress, evaluator, problems)
                self._phase_baseline(progress, executor, evaluator, problems, summary)
                self._phase_propose(progress, evaluator, config, exemplars, tasks, summary)
                self._phase_verify(progress, executor, evaluator, by_id, summary)
                self._phase_measure(progress, executor, evaluator, by_id, summary)
                self._phase_confirm(progress, executor, evaluator, by_id, summary)
        except KeyboardInterrupt:
            self.store.set_run_status(run_id, "interrupted")
            raise RunInterrupted(run_id) from None
        except BaseException:
            self.store.set_run_status(run_id, "failed")
            raise
        self.store.set_run_status(run_id, "finished")
        if summary.overturned:
            self.console.print(
                f"{summary.overturned} candidate(s) verified equivalent failed on the "
                "benchmark workload: their verdicts now say so"
            )
        for message in summary.baseline_errors:
            self.console.print(f"[yellow]original not measured[/]: {message}")
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
        if self.console.is_terminal:
            with progress:
                yield progress
            return
        # no terminal (CI logs, nohup): a bar cannot redraw, so a line per running phase
        # goes out at a steady interval instead, and one when a phase ends
        progress.disable = True
        reporter = _LineReporter(progress, self.console)
        reporter.start()
        try:
            yield progress
        finally:
            reporter.stop()

    def _phase_plan(
        self, progress: Progress, evaluator: RunEvaluator, problems: list[Problem]
    ) -> None:
        task = progress.add_task("plan", total=len(problems), rate="")
        for problem in problems:
            evaluator.problem_rows[problem.id] = self.store.upsert_problem(problem)
            progress.advance(task)

    def _phase_baseline(
        self,
        progress: Progress,
        executor: Executor,
        evaluator: RunEvaluator,
        problems: list[Problem],
        summary: RunSummary,
    ) -> None:
        """The original's measurement on every machine that measures, once per machine.
        An original that cannot be measured is reported; its equivalent candidates get a
        failed measurement saying so."""
        machines = executor.machines()
        task = progress.add_task("baseline", total=len(problems) * len(machines), rate="")
        jobs: list[BaselineJob] = []
        for problem in problems:
            for machine in machines:
                stored = stored_baseline(self.store, problem, machine, evaluator.profile)
                if stored is None:
                    jobs.append(BaselineJob(problem, evaluator.profile, machine))
                    continue
                if machine == evaluator.machine_id:
                    evaluator.baselines[problem.id] = stored
                progress.advance(task)
        with closing(executor.baselines(jobs)) as outcomes:
            for outcome in outcomes:
                if outcome.baseline is None:
                    summary.baseline_errors.append(f"{outcome.problem.key}: {outcome.error}")
                    progress.advance(task)
                    continue
                result = save_baseline(
                    self.store,
                    outcome.problem,
                    outcome.machine_id,
                    evaluator.profile,
                    outcome.baseline,
                )
                if outcome.machine_id == evaluator.machine_id:
                    evaluator.baselines[outcome.problem.id] = result
                progress.advance(task)
                _rate(progress, task, "problems")

    def _phase_propose(
        self,
        progress: Progress,
        evaluator: RunEvaluator,
        config: RunConfig,
        exemplars: Sequence[Problem],
        tasks: list[Task],
        summary: RunSummary,
    ) -> None:
        """Every task's candidates. ``exemplars`` is the run's guarded retrieval pool."""
        task = progress.add_task("propose", total=len(tasks), rate="")
        models: dict[str, Any] = {}
        for item in tasks:
            problem = item.problem
            model = None
            if item.technique.uses_model and item.model != NO_MODEL:
                model = self._model(item.model, models, evaluator.run_id, config)
            ctx = Context(
                problem=problem,
                technique=item.technique.label,
                model=model,
                evaluator=_bind(evaluator, problem),
                budget=self._budget(config),
                rng=random.Random(_seed(config.seed, item.technique.label, item.model, problem.id)),
                exemplars=exemplars,
                model_spec=item.model,
                log=self._logger(evaluator, problem, item),
                outcome=self._outcome_recorder(evaluator, problem, item),
            )
            stopped = ""
            try:
                for candidate in item.technique.optimize(problem, ctx):
                    if candidate.id is None:
                        evaluator.add(problem, candidate)
                    summary.candidates += 1
            except (BudgetExhausted, BudgetExceeded) as exc:
                stopped = f"budget reached ({exc})"
            except Exception as exc:
                stopped = f"{type(exc).__name__}: {exc}"
            if stopped:
                summary.technique_errors.append(
                    f"{item.technique.label} on {problem.id}: {stopped}"
                )
            rows = self.store.candidates(
                evaluator.run_id,
                problem_row=evaluator.problem_rows.get(problem.id),
                technique=item.technique.label,
            )
            if not [r for r in rows if r.model == item.model]:
                # PIE counts a problem a technique proposed nothing for as not correct
                # and 1.0x: keep a row so the report's denominator includes it
                reason = stopped or "the technique proposed no candidate"
                self._record_outcome(evaluator, problem, item, f"no_candidate: {reason}")
            if model is not None:
                evaluator.claim_calls(problem, item.technique.label, item.model, model.call_ids)
            progress.advance(task)
            _rate(progress, task, "tasks")

    def _phase_verify(
        self,
        progress: Progress,
        executor: Executor,
        evaluator: RunEvaluator,
        problems: dict[str, Problem],
        summary: RunSummary,
    ) -> None:
        jobs: list[VerifyJob] = []
        for c in self.store.candidates(evaluator.run_id):
            if c.verdict_status is None:
                jobs.append(
                    VerifyJob(c.id, problems[c.problem_id], c.code, evaluator.verify_config)
                )
            elif c.verdict_status == VerdictStatus.EQUIVALENT.value:
                config = _final_config(self.store.verdict(c.id), evaluator, c.id)
                if config is not None:
                    jobs.append(VerifyJob(c.id, problems[c.problem_id], c.code, config))
        task = progress.add_task("verify", total=len(jobs), rate="")
        with closing(executor.verify(jobs)) as outcomes:
            for outcome in outcomes:
                self.store.save_verdict(outcome.candidate_id, Verdict.from_dict(outcome.verdict))
                summary.verified += 1
                progress.advance(task)
                _rate(progress, task, "cand")

    def _phase_measure(
        self,
        progress: Progress,
        executor: Executor,
        evaluator: RunEvaluator,
        problems: dict[str, Problem],
        summary: RunSummary,
    ) -> None:
        """Measure every equivalent candidate on some machine, against that machine's
        stored baseline (which the candidate's output must match; the measurer times the
        original again, interleaved with the candidate, for the speedup). A job that had
        to measure a baseline, when another one for that machine was stored first, runs
        again against the stored one."""
        pending = [
            c
            for c in self.store.candidates(evaluator.run_id)
            if c.verdict_status == VerdictStatus.EQUIVALENT.value and c.speedup is None
        ]
        pending = [c for c in pending if self.store.measurement(c.id) is None]
        task = progress.add_task("measure", total=len(pending), rate="")
        work = [(c.id, problems[c.problem_id], c.code) for c in pending]
        self._measure(progress, task, executor, evaluator, work, summary, confirm=False)

    def _phase_confirm(
        self,
        progress: Progress,
        executor: Executor,
        evaluator: RunEvaluator,
        problems: dict[str, Problem],
        summary: RunSummary,
    ) -> None:
        """Measure again, time only, the candidate each (technique, model, problem) selected
        as its best (see :func:`optbench.report.to_confirm`): the report states this fresh
        measurement, not the one the candidate was chosen by. A confirmation that shows the
        candidate wrong on the workload overturns its verdict, so the selection is made
        again until every selected candidate has a confirmation."""
        # no total until the selection is known: a phase of 0 of 0 counts as finished
        task = progress.add_task("confirm", total=None, rate="")
        total = 0
        for _ in range(MAX_CONFIRM_PASSES):
            pending = self._unconfirmed(evaluator.run_id)
            if not pending:
                progress.update(task, total=total)
                return
            total += len(pending)
            progress.update(task, total=total)
            work = [
                (cid, problems[info.problem_id], info.code)
                for cid in pending
                if (info := self.store.get_candidate(cid)).problem_id in problems
            ]
            self._measure(progress, task, executor, evaluator, work, summary, confirm=True)

    def _unconfirmed(self, run_id: int) -> list[int]:
        from optbench.report import load_records, to_confirm

        groups: dict[tuple[str, str, int], list[Any]] = {}
        for record in load_records(self.store, [run_id]):
            key = (record.technique, record.model, record.problem_row)
            groups.setdefault(key, []).append(record)
        chosen = [to_confirm(records) for records in groups.values()]
        return sorted(
            r.candidate_id
            for r in chosen
            if r is not None and self.store.confirmation(r.candidate_id) is None
        )

    def _measure(
        self,
        progress: Progress,
        task: Any,
        executor: Executor,
        evaluator: RunEvaluator,
        work: list[tuple[int, Problem, str]],
        summary: RunSummary,
        *,
        confirm: bool,
    ) -> None:
        """Measure ``(candidate id, problem, code)`` items and store each outcome: as the
        candidate's measurement, or (``confirm``) as its time-only confirmation. A failure
        on the workload that is the candidate's doing replaces its verdict."""
        if not work:
            return
        machines = executor.machines()
        known: dict[str, dict[str, BaselineResult]] = {}
        for _, problem, _ in work:
            if problem.id not in known:
                known[problem.id] = {
                    m: b
                    for m in machines
                    if (b := stored_baseline(self.store, problem, m, evaluator.profile))
                }
        jobs = [
            MeasureJob(cid, problem, code, evaluator.profile, known[problem.id], memory=not confirm)
            for cid, problem, code in work
        ]
        while jobs:
            by_id = {job.candidate_id: job for job in jobs}
            again: list[MeasureJob] = []
            with closing(executor.measure(jobs)) as outcomes:
                for outcome in outcomes:
                    job = by_id[outcome.candidate_id]
                    if outcome.baseline_is_new:
                        stored = save_baseline(
                            self.store,
                            job.problem,
                            outcome.machine_id,
                            evaluator.profile,
                            outcome.baseline,
                        )
                        known[job.problem.id][outcome.machine_id] = stored
                        if not same_baseline(stored, outcome.baseline):
                            again.append(replace(job, baselines=dict(known[job.problem.id])))
                            continue
                    if outcome.verdict is not None:
                        self.store.save_verdict(
                            outcome.candidate_id, Verdict.from_dict(outcome.verdict)
                        )
                        summary.overturned += 1
                    if confirm:
                        self.store.save_confirmation(
                            outcome.candidate_id, outcome.measurement, outcome.machine_id
                        )
                        summary.confirmed += 1
                    else:
                        self.store.save_measurement(
                            outcome.candidate_id, outcome.measurement, outcome.machine_id
                        )
                        summary.measured += 1
                    progress.advance(task)
                    _rate(progress, task, "cand")
            jobs = again

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
            backend,
            StoreCache(self.store),
            budget=budget,
            run_id=run_id,
            use_cache=config.use_cache,
        )

    def _logger(
        self, evaluator: RunEvaluator, problem: Problem, item: Task
    ) -> Callable[[str], None]:
        """What a technique logs. A reply without code (``no_code: ...``) or a failed model
        call (``model_error: ...``) is stored as a candidate with no code and an ``error``
        verdict naming the outcome, so every reply leaves a row and %Correct counts it."""
        label = item.technique.label

        def log(message: str) -> None:
            self.console.print(
                f"{time.strftime('%H:%M:%S')} {label} on {problem.id}: {message}",
                markup=False,
                highlight=False,
            )
            if message.split(":", 1)[0] in OUTCOMES:
                self._record_outcome(evaluator, problem, item, message)

        return log

    def _outcome_recorder(
        self, evaluator: RunEvaluator, problem: Problem, item: Task
    ) -> Callable[[str, Candidate], None]:
        """What ``ctx.report_outcome`` calls: the outcome logged, and stored as the
        candidate without code it comes with (its sample, round and model calls)."""
        label = item.technique.label

        def record(message: str, candidate: Candidate) -> None:
            self.console.print(
                f"{time.strftime('%H:%M:%S')} {label} on {problem.id}: {message}",
                markup=False,
                highlight=False,
            )
            self._record_outcome(evaluator, problem, item, message, candidate)

        return record

    def _record_outcome(
        self,
        evaluator: RunEvaluator,
        problem: Problem,
        item: Task,
        message: str,
        candidate: Candidate | None = None,
    ) -> None:
        """A candidate without code and its ``error`` verdict, for an outcome that left none
        (``candidate``: the one the technique reported, with its provenance and calls)."""
        if candidate is None:
            candidate = Candidate(
                code="",
                extra={"outcome": message.split(":", 1)[0], "message": message[:2000]},
            )
        candidate.technique, candidate.model = item.technique.label, item.model
        candidate_id = evaluator.add(problem, candidate)
        if self.store.verdict(candidate_id) is None:
            self.store.save_verdict(
                candidate_id, Verdict(VerdictStatus.ERROR, Stage.STATIC, message=message[:2000])
            )


def _final_config(
    verdict: Verdict | None, evaluator: RunEvaluator, candidate_id: int
) -> VerifyConfig | None:
    """How to give a final verdict to a candidate whose ``equivalent`` verdict is
    provisional (given inside a technique's loop on the derandomized inputs it saw): on a
    fresh draw of its own seed, with at least as many examples. None when it is final."""
    if verdict is None or not verdict.provisional:
        return None
    config = evaluator.verify_config
    seed = _seed(evaluator.seed, "final-verification", str(candidate_id)) % 2**32
    return replace(config, max_examples=max(config.max_examples, verdict.examples_tried), seed=seed)


def _load(config: RunConfig) -> Dataset:
    try:
        return load_dataset(config.dataset)
    except (FileNotFoundError, ValueError) as exc:
        raise ConfigError(f"field 'dataset': {exc}") from None


def _check_spec(spec: str, probe: bool = True) -> None:
    from optbench.models import check_model_spec, probe_server
    from optbench.models.errors import SpecError

    try:
        check_model_spec(spec)
        if probe:
            probe_server(spec)
    except SpecError as exc:
        raise ConfigError(f"field 'models': {exc}") from None


def _bind(evaluator: RunEvaluator, problem: Problem) -> Callable[[Any], Any]:
    return lambda candidate: evaluator.evaluate(problem, candidate)


def _seed(seed: int, *parts: str) -> int:
    digest = hashlib.sha256("/".join([str(seed), *parts]).encode()).digest()
    return int.from_bytes(digest[:8], "big")


class _LineReporter:
    """Progress as plain lines: every ``interval`` seconds one line per unfinished phase
    with counts, rate and ETA, and one line as each phase finishes."""

    def __init__(self, progress: Progress, console: Console, interval: float = 30.0) -> None:
        self.progress = progress
        self.console = console
        self.interval = interval
        self._stop = threading.Event()
        self._done: dict[Any, tuple[float, float | None]] = {}
        """Phases reported as finished, with (completed, total) then: one that grows again
        (a pass of confirmations after another) is reported again."""
        self._thread = threading.Thread(target=self._run, name="progress-lines", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._report(finished_only=False, final=True)

    def _run(self) -> None:
        waited = 0.0
        while not self._stop.wait(1.0):
            waited += 1.0
            self._report(finished_only=waited < self.interval)
            if waited >= self.interval:
                waited = 0.0

    def _report(self, *, finished_only: bool, final: bool = False) -> None:
        for task in list(self.progress.tasks):
            if self._done.get(task.id) == (task.completed, task.total):
                continue
            finished = task.total is not None and task.completed >= task.total
            if finished:
                self._done[task.id] = (task.completed, task.total)
            elif finished_only or (final and not task.completed):
                continue
            self.console.print(_progress_line(task), markup=False, highlight=False)


def _progress_line(task: Any) -> str:
    total = int(task.total or 0)
    done = int(task.completed)
    share = f" ({100 * done / total:.0f}%)" if total else ""
    parts = [f"{task.description}: {done}/{total}{share}"]
    if task.fields.get("rate"):
        parts.append(str(task.fields["rate"]))
    elapsed = task.elapsed or 0.0
    parts.append(f"{elapsed / 60:.1f} min elapsed")
    remaining = task.time_remaining
    if remaining is not None and done < total:
        parts.append(f"about {remaining / 60:.1f} min left")
    return ", ".join(parts)


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
