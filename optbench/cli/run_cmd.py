from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table

from optbench.cli._common import console, db_option, err_console, fail, print_json
from optbench.datasets import SPLIT_CHOICES
from optbench.run.config import (
    EXECUTOR_NAMES,
    PROFILE_NAMES,
    ConfigError,
    RunConfig,
    load_config,
)


def _open(db_url: str | None, *, existing: bool = False):  # type: ignore[no-untyped-def]
    """The store; with ``existing`` (commands that only read) a missing SQLite file is an
    error rather than a new, empty database."""
    from optbench.store import StoreError, missing_sqlite_file, open_store

    missing = missing_sqlite_file(db_url) if existing else None
    if missing is not None:
        fail(f"no database at {missing}; start a run first, or pass --db URL")
    try:
        return open_store(db_url)
    except StoreError as exc:
        fail(str(exc))


@click.command("run")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML file with the same fields; options given here override it.",
)
@click.option("--dataset", help="Dataset name or folder (default: optbench-py).")
@click.option(
    "--technique",
    "techniques",
    help="Comma-separated techniques, with arguments: few_shot(k=4),feedback.",
)
@click.option(
    "--model",
    "models",
    help="Comma-separated model specs (openai:M@URL, hf:PATH, ollama:M, fake:..., replay:RUN).",
)
@click.option("--limit", type=int, help="Only the first N problems (by id).")
@click.option(
    "--problems", help="Comma-separated problem ids (from every split unless --split is given)."
)
@click.option(
    "--split",
    type=click.Choice(SPLIT_CHOICES),
    help="Dataset split to evaluate (default: eval; a dataset without splits is all eval).",
)
@click.option(
    "--retrieve-from",
    metavar="DATASET[:SPLIT]",
    help="Where few_shot and rag take examples from, minus the evaluated problems and their "
    "near-duplicates (default: the dataset's train split; 'none' for no examples).",
)
@click.option(
    "--profile", type=click.Choice(PROFILE_NAMES), help="Measurement profile (default: quick)."
)
@click.option("--seed", type=int, help="Seed of every technique's RNG.")
@click.option("--samples", type=int, help="Samples per problem for sampling techniques.")
@click.option("--rounds", type=int, help="Rounds (feedback) or generations (search).")
@click.option(
    "--tokens",
    type=int,
    help="Token budget (prompt + reply, every call) per (technique, model, problem); "
    "replies are cut to fit it.",
)
@click.option("--examples", "max_examples", type=int, help="Hypothesis examples per candidate.")
@click.option("--workers", type=int, help="Verification processes (default: cores).")
@click.option("--no-cache", is_flag=True, help="Do not reuse cached generations.")
@click.option(
    "--executor",
    type=click.Choice(EXECUTOR_NAMES),
    help="Where verification and measurement run (default: local). With --resume: "
    "continue the run there.",
)
@click.option(
    "--ray-address",
    help="Ray cluster to join (host:port, auto, ray://...); default: start one here.",
)
@click.option("--name", help="A label for the run.")
@click.option("--resume", "resume_id", type=int, help="Continue an interrupted run.")
@db_option
def run_cmd(
    config_path: Path | None,
    resume_id: int | None,
    db_url: str | None,
    no_cache: bool,
    **options: object,
) -> None:
    """A batch run: plan → baseline → propose → verify → measure → score.

    Everything lands in the database; a run interrupted at any moment (Ctrl-C, kill -9)
    continues with --resume RUN_ID without redoing or duplicating anything."""
    from optbench.run.runner import RunInterrupted, Runner, RunPlanner

    config: RunConfig | None = None
    if resume_id is None:
        # everything the run needs is checked before the database is opened (or created)
        try:
            config = load_config(config_path) if config_path else RunConfig()
            overrides = {k: v for k, v in options.items() if v is not None}
            if no_cache:
                overrides["use_cache"] = False
            if "ray_address" in overrides and "executor" not in overrides:
                overrides["executor"] = "ray"
            config.update(overrides, "command line")
            RunPlanner(console=err_console).check(config)
        except ConfigError as exc:
            fail(str(exc))
    store = _open(db_url)
    runner = Runner(store, console=err_console)
    try:
        if resume_id is not None:
            run_id = runner.resume(
                resume_id,
                executor=options.get("executor"),  # type: ignore[arg-type]
                ray_address=options.get("ray_address"),  # type: ignore[arg-type]
            )
        else:
            assert config is not None
            run_id = runner.start(config)
    except ConfigError as exc:
        fail(str(exc))
    except RunInterrupted as exc:
        hint = f" --db {db_url}" if db_url else ""
        err_console.print(
            f"{exc}{hint}", style="yellow", markup=False, highlight=False, soft_wrap=True
        )
        raise SystemExit(130) from None
    except KeyError as exc:
        fail(str(exc.args[0] if exc.args else exc))
    _print_report(store, [run_id], "table", per_problem=False)
    err_console.print(f"run {run_id} finished; see it again with: optbench report {run_id}")
    calls = store.model_calls(run_id)
    if calls and all(call.error for call in calls):
        fail(
            f"every one of the run's {len(calls)} model calls failed; the first: {calls[0].error}",
            code=1,
        )


@click.command("evaluate")
@click.argument("samples", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dataset", default="optbench-py", show_default=True, help="Dataset name or folder.")
@click.option(
    "--profile", type=click.Choice(PROFILE_NAMES), help="Measurement profile (default: quick)."
)
@click.option("--examples", "max_examples", type=int, help="Hypothesis examples per candidate.")
@click.option("--workers", type=int, help="Verification processes (default: cores).")
@click.option("--name", help="A label for the run (default: the file's name).")
@click.option("--resume", "resume_id", type=int, help="Continue an interrupted evaluation.")
@db_option
def evaluate_cmd(
    samples: Path, resume_id: int | None, db_url: str | None, **options: object
) -> None:
    """Verify, measure and report generations made elsewhere, like a run's own.

    SAMPLES is a JSONL file, one sample a line: problem_id (or task_id), the code as
    "code" or a model's reply as "completion" (its code is extracted), and optional
    "model", "technique" and "sample" labels. Each (technique, model) becomes an entry of
    the report; a reply without code counts as a no_code outcome, and a malformed line is
    reported and left out."""
    from optbench.run.runner import RunInterrupted, Runner

    config = RunConfig()
    try:
        config.update({k: v for k, v in options.items() if v is not None}, "command line")
    except ConfigError as exc:
        fail(str(exc))
    store = _open(db_url)
    try:
        run_id = Runner(store, console=err_console).evaluate(config, samples, resume_id)
    except ConfigError as exc:
        fail(str(exc))
    except RunInterrupted as exc:
        hint = f" --db {db_url}" if db_url else ""
        err_console.print(
            f"evaluation interrupted; continue it with: optbench evaluate {samples} "
            f"--resume {exc.run_id}{hint}",
            style="yellow",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise SystemExit(130) from None
    _print_report(store, [run_id], "table", per_problem=False)
    err_console.print(f"run {run_id} finished; see it again with: optbench report {run_id}")


@click.command("report")
@click.argument("run_ids", nargs=-1, type=int)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "markdown", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (same as --format json).")
@click.option("--per-problem", is_flag=True, help="One row per (technique, model, run, problem).")
@click.option(
    "--wide",
    is_flag=True,
    help="Every column, intervals in full (the default table fits 100 columns).",
)
@click.option(
    "--unclamped", is_flag=True, help="Keep slowdowns below 1.0 (PIE clamps them to 1.0)."
)
@click.option(
    "--best-at",
    "k",
    type=int,
    default=None,
    metavar="K",
    help="pass@K, %Opt@K and Speedup@K: unbiased estimates of the best of K samples "
    "drawn at random from each problem's samples.",
)
@click.option(
    "--opt-over",
    type=click.Choice(["all", "correct"]),
    default="all",
    show_default=True,
    help="%Opt over all problems or over the correct ones.",
)
@click.option(
    "--pool",
    type=click.Choice(["mean", "best"]),
    default="mean",
    show_default=True,
    help="Repeated runs of a technique and model: the mean of the per-run figures with an "
    "interval over runs, or best: their candidates pooled and the best of all runs kept "
    "(best-of, which grows with the number of runs).",
)
@db_option
def report_cmd(
    run_ids: tuple[int, ...],
    fmt: str,
    as_json: bool,
    per_problem: bool,
    wide: bool,
    unclamped: bool,
    k: int | None,
    opt_over: str,
    pool: str,
    db_url: str | None,
) -> None:
    """%Correct, %Opt, Speedup (mean, geometric), memory ratio and cost per (technique, model),
    each with a 95% interval, and what became of the candidates. Default: the latest run.

    A problem's speedup is its best candidate's confirmation measurement, not the one it
    was selected by; runs of the same technique and model are averaged. CSV and JSON say
    what produced them (run ids and configs, dataset and content hash, optbench version,
    date): JSON as {"meta": ..., "rows": [...]}, CSV as '#' lines above the header."""
    if k is not None and k < 1:
        fail(f"--best-at must be at least 1, got {k}")
    store = _open(db_url, existing=True)
    ids = list(run_ids)
    if not ids:
        runs = store.list_runs()
        if not runs:
            fail("no runs in the database yet: start one with optbench run")
        ids = [max(r.id for r in runs)]
    _print_report(
        store,
        ids,
        "json" if as_json else fmt,
        per_problem,
        wide=wide,
        clamp=not unclamped,
        k=k,
        opt_over=opt_over,
        pool=pool,
    )


def _print_report(  # type: ignore[no-untyped-def]
    store,
    run_ids: list[int],
    fmt: str,
    per_problem: bool,
    *,
    wide: bool = False,
    **variant: object,
) -> None:
    """The report's main table; in text formats also the verdict breakdown (or, per
    problem, the means over repeated runs) and the notes on what the figures are."""
    from optbench import report

    opt_over = variant.pop("opt_over", "all")
    rows: list[Any]
    try:
        if per_problem:
            rows = report.per_problem(store, run_ids, **variant)  # type: ignore[arg-type]
        else:
            rows = report.summarize(store, run_ids, opt_over=opt_over, **variant)  # type: ignore[arg-type]
    except KeyError as exc:
        fail(str(exc.args[0] if exc.args else exc))
    except ValueError as exc:
        fail(str(exc))
    titles = report.at_k_titles(variant.get("k"))  # type: ignore[arg-type]
    output = report.format_report(rows, fmt, titles=titles, wide=wide)
    if fmt in ("json", "csv"):
        asked = {**variant, "opt_over": opt_over, "per_problem": per_problem}
        meta = report.report_meta(store, run_ids, asked)
        export = report.json_with_meta if fmt == "json" else report.csv_with_meta
        click.echo(export(output, meta), nl=fmt == "json")
        return
    _emit(output)
    if per_problem:
        per_run = [r for r in rows if r.run_id is not None]
        repeated = [m for m in report.problem_means(per_run) if m.runs > 1]
        if repeated:
            _emit(
                report.format_report(repeated, fmt, title="Per problem, mean over runs", wide=wide)
            )
    else:
        verdicts = report.verdict_table(rows)
        if verdicts:
            _emit(report.format_report(verdicts, fmt, title="Candidates by verdict", wide=wide))
    for note in report.report_notes(rows):
        if fmt == "markdown":
            click.echo(f"> **Note:** {note}\n")
        else:
            console.print(f"[yellow]Note:[/] {note}", highlight=False)


def _emit(output: object) -> None:
    if isinstance(output, str):
        click.echo(output)
    else:
        console.print(output)


@click.command("runs")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def runs_cmd(as_json: bool, db_url: str | None) -> None:
    """All runs in the database, newest first."""
    store = _open(db_url, existing=True)
    runs = sorted(store.list_runs(), key=lambda r: r.id, reverse=True)
    if as_json:
        print_json([r.__dict__ for r in runs])
        return
    table = Table(title=f"Runs in {store.url}")
    for column in (
        "id",
        "name",
        "status",
        "dataset",
        "techniques",
        "models",
        "profile",
        "started",
        "ended",
    ):
        table.add_column(column, overflow="fold")
    for r in runs:
        cfg = r.config.get("run", {})
        table.add_row(
            str(r.id),
            r.name or "",
            r.status,
            f"{r.dataset} {r.dataset_version}",
            ", ".join(cfg.get("techniques", [])),
            ", ".join(cfg.get("models", [])) or "-",
            str(cfg.get("profile", "")),
            f"{r.started_at:%Y-%m-%d %H:%M}" if r.started_at else "-",
            f"{r.ended_at:%H:%M}" if r.ended_at else "-",
        )
    console.print(table)
