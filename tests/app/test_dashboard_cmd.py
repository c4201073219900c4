from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from optbench.cli import cli
from optbench.cli.dashboard_cmd import APP_ENTRY, streamlit_command


def test_entry_file_exists() -> None:
    assert APP_ENTRY.is_file() and APP_ENTRY.parent.name == "app"


def test_streamlit_runs_headless_without_usage_stats() -> None:
    command = streamlit_command(APP_ENTRY, "127.0.0.1", 8600)
    joined = " ".join(command)
    assert command[1:4] == ["-m", "streamlit", "run"]
    assert "--server.headless true" in joined
    assert "--browser.gatherUsageStats false" in joined
    assert "--server.address 127.0.0.1" in joined and "--server.port 8600" in joined


def test_missing_database_fails_without_creating_it(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["dashboard", "--db", f"sqlite:///{missing}"])
    assert result.exit_code == 2
    assert "no database" in result.output
    assert not missing.exists()
