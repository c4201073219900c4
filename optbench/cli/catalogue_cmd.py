from __future__ import annotations

import click
from rich.table import Table

from optbench.cli._common import console, print_json


@click.group("techniques")
def techniques_group() -> None:
    """The technique catalogue."""


@techniques_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def techniques_list(as_json: bool) -> None:
    """Name, family, summary, the paper each technique follows with its documented
    differences from it, and arguments of every technique."""
    from optbench.techniques import list_techniques

    infos = list_techniques()
    if as_json:
        print_json([info.__dict__ for info in infos])
        return
    table = Table(title="Techniques", show_lines=True)
    for column in ("name", "family", "summary", "follows", "differences", "arguments (defaults)"):
        table.add_column(column, overflow="fold")
    for info in infos:
        args = ", ".join(f"{k}={v!r}" for k, v in info.defaults.items()) or "-"
        table.add_row(
            info.name,
            info.family,
            info.summary,
            info.paper or info.citation or "-",
            "\n".join(f"- {d}" for d in info.differences) or "-",
            args,
        )
    console.print(table)


@techniques_group.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def techniques_show(name: str, as_json: bool) -> None:
    """One technique in full: the paper it follows, every documented difference from it,
    related work, arguments with defaults, and its module's description."""
    from optbench.techniques import technique_info
    from optbench.techniques.registry import technique_doc

    try:
        info = technique_info(name)
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0])) from None
    if as_json:
        print_json({**info.__dict__, "description": technique_doc(name)})
        return
    console.print(f"[bold]{info.name}[/bold] ({info.family}): {info.summary}", highlight=False)
    console.print(f"follows: {info.paper or '-'}", highlight=False)
    if info.citation:
        console.print(f"related: {info.citation}", highlight=False)
    console.print("differences from the paper:", highlight=False)
    for difference in info.differences or ("none documented",):
        console.print(f"  - {difference}", highlight=False)
    args = ", ".join(f"{k}={v!r}" for k, v in info.defaults.items()) or "-"
    console.print(f"arguments (defaults): {args}", highlight=False)
    doc = technique_doc(name)
    if doc:
        console.print("", doc, sep="\n", highlight=False, markup=False)
