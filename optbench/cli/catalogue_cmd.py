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
    """Name, family, summary, citation and arguments of every technique."""
    from optbench.techniques import list_techniques

    infos = list_techniques()
    if as_json:
        print_json([info.__dict__ for info in infos])
        return
    table = Table(title="Techniques")
    for column in ("name", "family", "summary", "citation", "arguments (defaults)"):
        table.add_column(column, overflow="fold")
    for info in infos:
        args = ", ".join(f"{k}={v!r}" for k, v in info.defaults.items()) or "-"
        table.add_row(info.name, info.family, info.summary, info.citation or "-", args)
    console.print(table)


@click.group("models")
def models_group() -> None:
    """Model backends and presets."""


@models_group.command("list")
def models_list() -> None:
    """The backends (model spec syntax) and the presets for well-known coder models."""
    from optbench.models import describe_backends, presets

    table = Table(title="Backends")
    table.add_column("spec")
    table.add_column("what it is", overflow="fold")
    for spec, text in describe_backends():
        table.add_row(spec, text)
    console.print(table)
    preset_table = Table(title="Presets")
    preset_table.add_column("name")
    preset_table.add_column("context")
    preset_table.add_column("sampling / stop", overflow="fold")
    for name, preset in presets().items():
        data = preset if isinstance(preset, dict) else getattr(preset, "__dict__", {})
        context = str(data.get("context_length", "-"))
        rest = ", ".join(f"{k}={v}" for k, v in data.items() if k not in ("context_length", "name"))
        preset_table.add_row(name, context, rest)
    console.print(preset_table)
