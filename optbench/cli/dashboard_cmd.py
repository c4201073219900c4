"""``optbench dashboard``: the Streamlit app over a results database."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

import click

from optbench.cli._common import db_option, fail
from optbench.store import ENV_VAR, default_url
from optbench.store._engine import is_sqlite, parse_url, sqlite_path

APP_ENTRY = Path(__file__).resolve().parents[2] / "app" / "Home.py"


def streamlit_command(entry: Path, host: str, port: int) -> list[str]:
    """The ``streamlit run`` command line for a headless server at ``host:port``."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(entry),
        "--server.headless",
        "true",
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.runOnSave",
        "false",
        "--server.fileWatcherType",
        "none",
        "--client.toolbarMode",
        "viewer",
    ]


def _absolute_sqlite(url: str) -> str:
    """SQLite paths are relative to the current directory; the server may run elsewhere."""
    parsed = parse_url(url)
    path = sqlite_path(parsed) if is_sqlite(parsed) else None
    if path is None or path.startswith("file:"):
        return url
    if not Path(path).exists():
        fail(f"no database at {path}; start a run first (optbench run ...) or pass --db URL")
    return parsed.set(database=str(Path(path).resolve())).render_as_string(hide_password=False)


@click.command("dashboard")
@db_option
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
def dashboard_cmd(db_url: str | None, port: int, host: str) -> None:
    """Browse results in a Streamlit dashboard (read-only) at http://HOST:PORT.

    Needs the ``dashboard`` extra: pip install 'optbench[dashboard]'.
    """
    if importlib.util.find_spec("streamlit") is None:
        fail("the dashboard needs Streamlit: pip install 'optbench[dashboard]'")
    if not APP_ENTRY.exists():
        fail(f"the dashboard app is missing ({APP_ENTRY}); run from a source checkout")
    url = _absolute_sqlite(db_url or default_url())
    env = {**os.environ, ENV_VAR: url}
    click.echo(f"optbench dashboard on http://{host}:{port} (database {parse_url(url)!r})")
    process = subprocess.Popen(streamlit_command(APP_ENTRY, host, port), env=env)
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        sys.exit(process.wait())
    except KeyboardInterrupt:
        _stop(process)
        sys.exit(130)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
