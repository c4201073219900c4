from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table

from optbench.cli._common import console, err_console, fail, print_json
from optbench.datasets import (
    SPLITS,
    ProblemLoadError,
    list_datasets,
    load_dataset,
    read_splits,
    resolve_problem,
)
from optbench.datasets.workload_cost import COST_AIM_MS, COST_SEEDS
from optbench.measure.profiles import PROFILES


@click.group("datasets")
def datasets_group() -> None:
    """List, show, validate and import datasets of problems."""


@datasets_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def datasets_list(as_json: bool) -> None:
    """Name, version, split sizes and counts by kind and tag of every dataset found.

    A dataset's ``train`` split is what few_shot and rag retrieve from and what training
    data is built from; ``optbench run`` evaluates its ``eval`` split. A dataset that
    declares no splits is all ``eval``."""
    rows = []
    for path in list_datasets():
        try:
            dataset = load_dataset(path)
        except ProblemLoadError as exc:
            err_console.print(f"[yellow]skipped dataset[/]: {exc}", highlight=False)
            continue
        counts = dataset.counts()
        rows.append(
            {
                "name": dataset.name,
                "version": dataset.version,
                "problems": len(dataset.problems),
                "skipped": len(dataset.skipped),
                "splits": dataset.split_counts(),
                "declares_splits": dataset.has_splits,
                "kinds": counts["kinds"],
                "tags": counts["tags"],
                "hash": dataset.content_hash,
                "path": str(path),
            }
        )
    if as_json:
        print_json(rows)
        return
    table = Table(title="Datasets")
    for column in ("name", "version", "problems", "splits", "kinds", "tags", "hash"):
        table.add_column(column, overflow="fold")
    for row in rows:
        splits = ", ".join(f"{k} {v}" for k, v in row["splits"].items())
        if not row["declares_splits"]:
            splits = "eval (no splits)"
        kinds = ", ".join(f"{k} {v}" for k, v in row["kinds"].items())
        tags = ", ".join(f"{k} {v}" for k, v in row["tags"].items())
        skipped = f" ({row['skipped']} skipped)" if row["skipped"] else ""
        table.add_row(
            row["name"],
            row["version"],
            f"{row['problems']}{skipped}",
            splits,
            kinds,
            tags,
            row["hash"][:12],
        )
    console.print(table)


SAMPLE_CHARS = 400
"""A sample input shown by ``datasets show`` is cut after this many characters."""


@datasets_group.command("show")
@click.argument("spec", metavar="DATASET/PROBLEM")
def datasets_show(spec: str) -> None:
    """Show one problem: metadata, how it is checked (hand-written strategy, synthesized
    from its given tests, or given tests only and why), statement, slow and fast code,
    inputs, and for a synthesized strategy a few of its inputs."""
    from optbench.datasets.synthesis.provenance import checked_by, is_synthesized, sample_inputs

    try:
        problem = resolve_problem(spec)
    except (ProblemLoadError, FileNotFoundError, ValueError) as exc:
        fail(str(exc))
    header = Table.grid(padding=(0, 2))
    header.add_row("id", problem.key)
    header.add_row("title", problem.title)
    header.add_row("kind", problem.kind.value)
    header.add_row("split", _split_of(problem.path, problem.id))
    if problem.entry_point:
        header.add_row("entry point", problem.entry_point)
    header.add_row("tags", ", ".join(problem.tags))
    header.add_row("compare", escape(problem.compare.describe(problem.kind)))
    header.add_row("hash", problem.content_hash[:16])
    header.add_row("checked by", escape(checked_by(problem)))
    for note in problem.notes:
        header.add_row("note", escape(note))
    console.print(Panel(header, title=escape(problem.title)))
    if problem.statement:
        console.print(Panel(problem.statement.strip(), title="statement"))
    console.print(Panel(Syntax(problem.slow_source, "python", line_numbers=True), title="slow.py"))
    if problem.fast_source:
        console.print(
            Panel(Syntax(problem.fast_source, "python", line_numbers=True), title="fast.py")
        )
    if problem.inputs_source:
        console.print(Panel(Syntax(problem.inputs_source, "python"), title="inputs.py"))
    if problem.checker_source:
        console.print(Panel(Syntax(problem.checker_source, "python"), title="checker.py"))
    if is_synthesized(problem):
        for index, sample in enumerate(sample_inputs(problem), start=1):
            shown = sample if len(sample) <= SAMPLE_CHARS else sample[:SAMPLE_CHARS] + "\n..."
            title = f"synthesized input {index} ({len(sample)} chars)"
            console.print(Panel(escape(shown.rstrip("\n")), title=title))
    if problem.tests:
        console.print(f"{len(problem.tests)} given test(s)")


def _synthesize(problems: list, workers: int, synthesize_inputs: Any) -> None:
    """Synthesize inputs with a progress bar, then say how many problems got them."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from optbench.datasets.importers.synthesize import needs_synthesis
    from optbench.datasets.synthesis.codegen import MARKER

    todo = [p for p in problems if needs_synthesis(p)]
    progress = Progress(
        TextColumn("[bold]synthesize"), BarColumn(), MofNCompleteColumn(), console=err_console
    )
    with progress:
        task = progress.add_task("synthesize", total=len(todo))
        synthesize_inputs(problems, workers=workers, on_done=lambda _: progress.advance(task))
    served = sum(p.inputs is not None and MARKER in p.inputs for p in todo)
    console.print(
        f"synthesized inputs for {served} of {len(todo)} problem(s); the rest are checked "
        "on their given tests only (see their notes)"
    )


def _split_of(path: str | None, problem_id: str) -> str:
    """The problem's split, from its dataset folder's ``dataset.toml``."""
    folder = Path(path).parent if path else None
    if folder is None or not (folder / "dataset.toml").exists():
        return "eval (no dataset.toml)"
    try:
        splits = read_splits(folder)
    except ProblemLoadError as exc:
        fail(str(exc))
    return splits.get(problem_id, "eval") if splits else "eval (no splits declared)"


@datasets_group.command("validate")
@click.argument("name", metavar="DATASET")
@click.option("--examples", default=200, show_default=True, help="Generated inputs per problem.")
@click.option(
    "--profile",
    default="quick",
    show_default=True,
    type=click.Choice(list(PROFILES)),
)
@click.option(
    "--no-timing",
    is_flag=True,
    help="Skip the timed checks: the reference is faster, and the workload's cost by seed.",
)
@click.option(
    "--cost-seeds",
    type=click.IntRange(min=0),
    default=COST_SEEDS,
    show_default=True,
    help="Seeds whose workloads the original is timed on (0 skips the workload cost check).",
)
@click.option("--problems", default="", help="Comma-separated problem ids (default: all).")
@click.option("--workers", type=int, default=None, help="Verification processes (default: cores).")
def datasets_validate(
    name: str,
    examples: int,
    profile: str,
    no_timing: bool,
    cost_seeds: int,
    problems: str,
    workers: int | None,
) -> None:
    """Check every problem of DATASET (a name or a folder): files parse, the strategy draws
    inputs of the right shape, the reference is equivalent to the slow version (sandboxed
    verifier, edge examples + given tests + generated inputs) and faster on the workload
    (pyperf). A problem without a reference, or with given tests that have expected
    outputs, also has its slow version checked against itself. Warns about a strategy whose
    generated inputs stay far smaller or narrower than the workload (sizes, numbers,
    characters), and about a workload whose cost swings with the seed: the original is
    timed, sandboxed, once on the workload of each seed 0 .. --cost-seeds - 1, and a
    problem whose slowest draw costs more than 3x its fastest, or whose draws fall outside
    50-500 ms, is named with its seeds. Exits non-zero with a per-problem table of what
    failed."""
    from optbench.datasets.validate import validate_dataset

    try:
        dataset = load_dataset(name)
    except (FileNotFoundError, ProblemLoadError) as exc:
        fail(str(exc))
    selected = {p.strip() for p in problems.split(",") if p.strip()}
    results = validate_dataset(
        dataset,
        examples=examples,
        profile=profile,
        timing=not no_timing,
        cost_seeds=cost_seeds,
        only=selected or None,
        workers=workers,
        console=err_console,
    )
    table = Table(title=f"validate {dataset.name} {dataset.version}")
    columns = ("problem", "kind", "strategy", "scale", "reference", "speedup", "workload", "result")
    for column in columns:
        table.add_column(column, overflow="fold")
    failed = 0
    short = [result for result in results if result.scale_warnings]
    swinging = [result for result in results if result.cost_warnings]
    for result in results:
        failed += not result.ok
        table.add_row(
            result.problem,
            result.kind,
            result.strategy,
            f"[yellow]{result.scale}[/]" if result.scale_warnings else result.scale,
            result.equivalence,
            result.speedup,
            f"[yellow]{result.cost}[/]" if result.cost_warnings else result.cost,
            "[green]ok[/]" if result.ok else f"[red]{result.failure}[/]",
        )
    console.print(table)
    for result in results:
        if result.disagreement:
            console.print(
                f"[yellow]disagreement not counted[/]: {result.problem}: "
                + escape(result.disagreement)
            )
    for result in short:
        console.print(
            f"[yellow]warning[/]: {result.problem}: generated inputs short of the workload: "
            + "; ".join(result.scale_warnings)
        )
    for result in swinging:
        console.print(
            f"[yellow]warning[/]: {result.problem}: workload cost {result.cost}: "
            + "; ".join(result.cost_warnings)
        )
    summary = f"{len(results) - failed} passed, {failed} failed"
    if short:
        summary += (
            f"; {len(short)} with generated inputs far smaller or narrower than the workload "
            "(candidates are checked on inputs unlike the one they are timed on)"
        )
    if swinging:
        summary += (
            f"; {len(swinging)} with a workload whose cost swings with the seed or misses "
            f"{COST_AIM_MS[0]:g}-{COST_AIM_MS[1]:g} ms"
        )
    console.print(summary)
    if failed:
        raise SystemExit(1)


def _import_formats_help() -> str:
    """The registered formats, one paragraph each, for ``datasets import --help``."""
    from optbench.datasets.importers import IMPORTERS

    return "\n\n".join(f"{name}: {IMPORTERS[name].summary}" for name in sorted(IMPORTERS))


def _format_names() -> list[str]:
    from optbench.datasets.importers import IMPORTERS

    return sorted(IMPORTERS)


@datasets_group.command("import", epilog="Formats:\n\n" + _import_formats_help())
@click.argument("fmt", metavar="FORMAT", type=click.Choice(_format_names()))
@click.argument("jsonl", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Dataset folder to write.",
)
@click.option("--name", default=None, help="Dataset name (default: the folder name).")
@click.option(
    "--tests",
    "tests_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="PIE test-case folder: <dir>/<problem_id>/input.N.txt, output.N.txt (pie only).",
)
@click.option("--force", is_flag=True, help="Write into an --out folder that is not empty.")
@click.option(
    "--split",
    type=click.Choice(SPLITS),
    default="eval",
    show_default=True,
    help="Split of the imported problems (a generic record's own 'split' wins): train "
    "problems are retrieval pools and training data, eval problems are measured.",
)
@click.option(
    "--compare",
    "compare_text",
    default=None,
    metavar="MODE[:TOL][,mutation-allowed|,mutation-checked]",
    help="Compare policy for every imported problem, overriding the format's: exact, "
    "float, unordered or stdout_ws; float:1e-6 sets the tolerance (relative and absolute); "
    ",mutation-allowed judges functions by their return value only (ENAMEL and HumanEval "
    "do by default), ,mutation-checked also by their arguments after the call. A record's "
    "own checker is kept.",
)
@click.option(
    "--synthesis/--no-synthesis",
    default=True,
    show_default=True,
    help="Synthesize inputs.py (strategy and grown workload) from the given tests, for "
    "program problems and for function problems without inputs of their own, judged by "
    "the original (sandboxed); without it they are checked on their given tests only.",
)
@click.option("--workers", type=int, default=2, show_default=True, help="Synthesis processes.")
def datasets_import(
    fmt: str,
    jsonl: Path,
    out: Path,
    name: str | None,
    tests_dir: Path | None,
    force: bool,
    split: str,
    compare_text: str | None,
    synthesis: bool,
    workers: int,
) -> None:
    """Turn a file in one of the field's formats (listed below) into a dataset folder.

    Problems without inputs of their own get an inputs.py synthesized from their given
    tests (structure, types and ranges inferred; inputs the original rejects discarded
    and counted; the workload grown until the original takes 50-500 ms); a problem
    that cannot be served that way is checked on its given tests only and says why.
    Records that cannot be imported are listed with the reason and skipped; keys a
    format does not read are warned about."""
    from optbench.datasets.importers import (
        ImportOptions,
        get_importer,
        parse_compare_option,
        synthesize_inputs,
        write_problems,
    )

    if out.exists() and any(out.iterdir()) and not force:
        fail(
            f"{out} exists and is not empty: problems of an earlier import would mix with "
            "this one; choose another --out or pass --force"
        )
    importer = get_importer(fmt)
    try:
        compare = parse_compare_option(compare_text) if compare_text else None
    except ValueError as exc:
        fail(f"--compare: {exc}")
    if importer.needs_tests_dir and tests_dir is None:
        fail(f"{fmt} import needs --tests DIR (the per-problem test-case folders)")
    if tests_dir is not None and not importer.needs_tests_dir:
        fail(f"--tests is for PIE imports; a {fmt} record carries its own tests")
    problems, errors = importer.load(jsonl, ImportOptions(tests_dir=tests_dir, compare=compare))
    for error in errors:
        err_console.print(f"[yellow]skipped[/]: {escape(str(error))}", highlight=False)
    for problem in problems:
        for warning in problem.warnings:
            err_console.print(f"[yellow]warning[/]: {jsonl}: {escape(warning)}", highlight=False)
    if not problems:
        fail("nothing imported")
    if synthesis:
        _synthesize(problems, workers, synthesize_inputs)
    write_problems(problems, out, name or out.name, split=split)
    dataset = load_dataset(out)
    for skipped in dataset.skipped:
        err_console.print(f"[yellow]skipped on loading[/]: {escape(str(skipped))}", highlight=False)
    console.print(
        f"imported {len(dataset.problems)} problem(s) into {out} "
        f"({len(errors) + len(dataset.skipped)} skipped); use it as --dataset {out}"
    )
