from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

console = Console(width=None if Console().is_terminal else 200)
err_console = Console(stderr=True)

db_option = click.option(
    "--db",
    "db_url",
    default=None,
    metavar="URL",
    help="Database URL (default: $OPTBENCH_DB or sqlite:///optbench.db).",
)


def fail(message: str, code: int = 2) -> None:
    """One line on stderr and exit ``code``; ``message`` is shown as written (a spec like
    ``openai:<model>[@<base_url>]`` is text, not markup)."""
    err_console.print(f"[red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    sys.exit(code)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str))
