"""Bad command lines get one line and exit status 2, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from optbench.cli import cli
from optbench.run.config import RunConfig


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--technique", "zero_shot", "--model", "gpt4"], "unknown model spec 'gpt4'"),
        (["--technique", "zero_shot", "--model", "openai:"], "expected openai:<model>[@<base_url>]"),
        (["--technique", "zero_shot", "--model", "hf:"], "expected hf:<path>"),
        (["--technique", "zero_shot", "--model", "fake:nosuchfile.json"], "no such file"),
        (["--technique", "zero_shot", "--model", "replay:x"], "integer run id"),
        (["--technique", "identity", "--dataset", "nosuch"], "no dataset named 'nosuch'"),
        (["--technique", "feedback(rounds=-1)", "--model", "fake:"], "rounds must be >= 0"),
        (["--technique", "nosuch"], "unknown technique 'nosuch'"),
    ],
)
def test_a_bad_run_is_one_line_and_writes_nothing(
    tmp_path: Path, args: list[str], said: str
) -> None:
    db = tmp_path / "never.db"
    result = CliRunner().invoke(cli, ["run", *args, "--limit", "1", "--db", f"sqlite:///{db}"])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert said in lines[0]
    assert not db.exists()


@pytest.mark.parametrize("command", [["report"], ["runs"]])
def test_reading_commands_never_create_a_database(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "missing.db"
    result = CliRunner().invoke(cli, [*command, "--db", f"sqlite:///{db}"])
    assert result.exit_code == 2
    assert "no database at" in result.output
    assert not db.exists()


def test_model_specs_with_commas_stay_whole() -> None:
    config = RunConfig()
    config.update({"models": 'fake:["a, b","c"],hf:some/dir'}, "command line")
    assert config.models == ['fake:["a, b","c"]', "hf:some/dir"]
