from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from optbench.cli._common import console, fail, print_json
from optbench.datasets import ProblemLoadError, resolve_problem
from optbench.measure.profiles import PROFILES


def _load(spec: str, candidate: Path) -> tuple[object, str]:
    try:
        problem = resolve_problem(spec)
    except (ProblemLoadError, FileNotFoundError, ValueError) as exc:
        fail(str(exc))
    try:
        code = candidate.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{candidate}: {exc}")
    return problem, code


@click.command("verify")
@click.argument("spec", metavar="DATASET/PROBLEM")
@click.argument("candidate", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--examples", default=200, show_default=True, help="Generated inputs (Hypothesis max_examples)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def verify_cmd(spec: str, candidate: Path, examples: int, as_json: bool) -> None:
    """The verdict for one candidate file: equivalent, not_equivalent, error, timeout or rejected.

    Exit status 0 when equivalent, 1 otherwise."""
    from optbench.verify import VerifyConfig, verify

    problem, code = _load(spec, candidate)
    verdict = verify(problem, code, VerifyConfig(max_examples=examples))  # type: ignore[arg-type]
    if as_json:
        print_json(verdict.to_dict())
    else:
        color = "green" if verdict.ok else "red"
        console.print(
            f"[{color}]{verdict.status.value}[/] (stage {verdict.stage.value}, "
            f"{verdict.examples_tried} inputs, {verdict.elapsed_s:.1f} s, sandbox {verdict.isolation})"
        )
        if verdict.message:
            console.print(verdict.message, highlight=False)
        if verdict.counterexample:
            console.print(verdict.counterexample.for_prompt(), highlight=False)
    raise SystemExit(0 if verdict.ok else 1)


@click.command("measure")
@click.argument("spec", metavar="DATASET/PROBLEM")
@click.argument("candidate", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--profile",
    default="default",
    show_default=True,
    type=click.Choice(list(PROFILES)),
)
@click.option("--json", "as_json", is_flag=True, help="Print the measurement as JSON.")
def measure_cmd(spec: str, candidate: Path, profile: str, as_json: bool) -> None:
    """Speedup and memory ratio of one candidate against the original, with 95% intervals.

    Does not check equivalence: run `optbench verify` first."""
    from optbench.measure import MeasurementError, measure

    problem, code = _load(spec, candidate)
    try:
        m = measure(problem, code, profile)  # type: ignore[arg-type]
    except MeasurementError as exc:
        fail(str(exc), code=1)
    if as_json:
        print_json(m.to_dict())
        return
    rounds = m.details.get("rounds") or []
    table = Table(
        title=f"{spec} ({profile} profile)",
        caption=(
            "instructions counted under valgrind's cachegrind, one run per side, start-up "
            "subtracted"
            if m.time.metric == "instructions"
            else f"original and candidate timed in {len(rounds)} alternating rounds "
            f"on core {m.machine.get('core')}"
        ),
    )
    for column in ("metric", "original", "candidate", "ratio", "95% CI", "significant"):
        table.add_column(column)
    for result in (m.time, m.memory):
        if result is None:
            continue
        unit = result.baseline.unit
        table.add_row(
            "speedup" if result is m.time else "memory ratio",
            _fmt(result.baseline.median, unit),
            _fmt(result.candidate.median, unit),
            f"{result.ratio:.2f}x",
            f"{result.ci_low:.2f}-{result.ci_high:.2f}",
            "yes" if result.significant else "no",
        )
    console.print(table)


def _fmt(value: float, unit: str) -> str:
    if unit == "instr":
        return f"{value / 1e6:.2f} M instr"
    if unit == "s":
        return f"{value * 1000:.2f} ms"
    if unit in ("B", "bytes"):
        return f"{value / 1024:.0f} KiB"
    return f"{value:.4g} {unit}"
