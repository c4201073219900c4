"""Bad command lines get one line and exit status 2, and nothing is written."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from optbench.cli import cli
from optbench.run.config import RunConfig


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--technique", "zero_shot", "--model", "gpt4"], "unknown model spec 'gpt4'"),
        (["--model", "gpt4"], "unknown model spec 'gpt4'"),  # no technique uses it
        (["--technique", "identity", "--model", "hf:"], "expected hf:<path>"),
        (
            ["--technique", "zero_shot", "--model", "openai:"],
            "expected openai:<model>[@<base_url>]",
        ),
        (["--technique", "zero_shot", "--model", "hf:"], "expected hf:<path>"),
        (["--technique", "zero_shot", "--model", "fake:nosuchfile.json"], "no such file"),
        (["--technique", "zero_shot", "--model", "replay:x"], "integer run id"),
        (["--technique", "identity", "--dataset", "nosuch"], "no dataset named 'nosuch'"),
        (["--technique", "feedback(rounds=-1)", "--model", "fake:"], "rounds must be >= 0"),
        (["--technique", "nosuch"], "unknown technique 'nosuch'"),
        (
            ["--technique", "zero_shot", "--model", "openai:x@http://127.0.0.1:9/v1"],
            "no model server answers at http://127.0.0.1:9/v1",
        ),
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


class _Failing(BaseHTTPRequestHandler):
    """A model server that is up but fails every request."""

    def _fail(self) -> None:
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": {"message": "the model is on fire"}}')

    do_GET = do_POST = _fail

    def log_message(self, *args: object) -> None:
        return


def test_a_run_whose_every_model_call_failed_exits_non_zero(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    db = tmp_path / "run.db"
    try:
        result = CliRunner().invoke(
            cli,
            ["run", "--technique", "zero_shot", "--model", f"openai:x@{url}",
             "--problems", "pair-sum-count", "--profile", "smoke", "--db", f"sqlite:///{db}"],
        )  # fmt: skip
    finally:
        server.shutdown()
    assert result.exit_code == 1, result.output
    assert "every one of the run's" in result.output and "model calls failed" in result.output
