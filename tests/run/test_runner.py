"""End-to-end runs through the real sandbox, verifier, pyperf measurer and SQLite store."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from run_outcomes import RUN_ARGS

from optbench.cli import cli

OPTBENCH = [sys.executable, "-m", "optbench.cli"]


def _optbench(*args: str, db: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*OPTBENCH, *args, "--db", f"sqlite:///{db}"], capture_output=True, text=True, timeout=600
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _outcomes(db: Path, run_id: int) -> tuple[list[tuple[str, str, str]], int, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT p.problem_id, c.technique, v.status FROM candidates c "
            "JOIN problems p ON p.id = c.problem_row_id "
            "LEFT JOIN verdicts v ON v.candidate_id = c.id WHERE c.run_id = ? ORDER BY 1, 2",
            (run_id,),
        ).fetchall()
        measured = conn.execute(
            "SELECT COUNT(*) FROM measurements m JOIN candidates c ON c.id = m.candidate_id WHERE c.run_id = ?",
            (run_id,),
        ).fetchone()[0]
        slots = conn.execute(
            "SELECT COUNT(*) - COUNT(DISTINCT slot_key) FROM candidates WHERE run_id = ?", (run_id,)
        ).fetchone()[0]
    return rows, measured, slots


@pytest.mark.slow
def test_run_report_and_resume_after_sigkill(tmp_path: Path) -> None:
    reference_db = tmp_path / "reference.db"
    args = RUN_ARGS
    _optbench(*args, db=reference_db)
    expected, expected_measured, _ = _outcomes(reference_db, 1)
    assert [r[2] for r in expected] == ["equivalent"] * 4
    assert expected_measured == 4

    report = _optbench("report", "1", "--format", "csv", db=reference_db).stdout
    assert "reference" in report and "identity" in report

    db = tmp_path / "killed.db"
    process = subprocess.Popen(
        [*OPTBENCH, *args, "--db", f"sqlite:///{db}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    measuring = False
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        if not db.exists():
            continue
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                verdicts = conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0]
                measured = conn.execute("SELECT COUNT(*) FROM measurements").fetchone()[0]
        except sqlite3.OperationalError:
            continue
        if verdicts == 4 and measured >= 1:
            measuring = True
            break
    assert measuring, "the run never reached the measure phase"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs WHERE id = 1").fetchone()[0] == "running"

    _optbench("run", "--resume", "1", db=db)
    actual, measured, duplicate_slots = _outcomes(db, 1)
    assert actual == expected
    assert measured == expected_measured
    assert duplicate_slots == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs WHERE id = 1").fetchone()[0] == "finished"
        assert conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == 4


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path: Path) -> None:
    db = tmp_path / "int.db"
    process = subprocess.Popen(
        [
            *OPTBENCH,
            "run",
            "--technique",
            "identity",
            "--limit",
            "2",
            "--examples",
            "20",
            "--db",
            f"sqlite:///{db}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a shell without job control starts background jobs (CI's, nohup's) with SIGINT
        # ignored, and the child would inherit that: Ctrl-C means the default action
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None and not _has_verdicts(db):
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert f"optbench run --resume 1 --db sqlite:///{db}" in " ".join(err.split())
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs WHERE id = 1").fetchone()[0] == "interrupted"


def _has_verdicts(db: Path) -> bool:
    if not db.exists():
        return False
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] > 0
    except sqlite3.OperationalError:
        return False


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_malformed_configs_and_databases_give_clear_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "good.db"
    bad_config = tmp_path / "bad.toml"
    bad_config.write_text("profile = 'turbo'\n")
    result = runner.invoke(cli, ["run", "--config", str(bad_config), "--db", f"sqlite:///{db}"])
    assert result.exit_code == 2
    assert "field 'profile'" in result.output

    result = runner.invoke(
        cli, ["run", "--technique", "no_such_technique", "--db", f"sqlite:///{db}"]
    )
    assert result.exit_code == 2 and "unknown technique 'no_such_technique'" in result.output

    result = runner.invoke(
        cli, ["run", "--technique", "identity", "--problems", "nope", "--db", f"sqlite:///{db}"]
    )
    assert result.exit_code == 2 and "nope" in result.output

    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(os.urandom(4096))
    before = _sha(corrupt)
    result = runner.invoke(cli, ["report", "--db", f"sqlite:///{corrupt}"])
    assert result.exit_code == 2 and "corrupt.db" in result.output
    assert _sha(corrupt) == before

    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    before = _sha(foreign)
    result = runner.invoke(
        cli, ["run", "--technique", "identity", "--limit", "1", "--db", f"sqlite:///{foreign}"]
    )
    assert result.exit_code == 2 and "foreign.db" in result.output
    assert _sha(foreign) == before


@pytest.mark.slow
def test_an_original_that_fails_on_its_workload_does_not_stop_the_run(
    tmp_path: Path, problem_copy: Callable[..., tuple[Path, Path]]
) -> None:
    """The original raises on the (large) workload only: its candidates still verify on
    small inputs, their measurement says why there is no speedup, and the other problem
    of the run is measured as usual."""
    dataset, broken = problem_copy("pair-sum-count")
    problem_copy("range-sum-queries")
    slow = broken / "slow.py"
    slow.write_text(
        slow.read_text() + "\n\n_checked = count_pairs\n\n\ndef count_pairs(*args):\n"
        "    if len(args[0]) > 1000:\n        raise MemoryError('too big for this original')\n"
        "    return _checked(*args)\n"
    )
    db = tmp_path / "broken.db"
    result = _optbench(
        "run", "--dataset", str(dataset), "--technique", "identity", "--profile", "smoke",
        "--examples", "20", db=db,
    )  # fmt: skip
    said = " ".join(result.stderr.split())
    assert "original not measured" in said
    assert "pair-sum-count" in said and "too big for this original" in said
    with sqlite3.connect(db) as conn:
        rows = dict(
            conn.execute(
                "SELECT p.problem_id, m.error FROM measurements m "
                "JOIN candidates c ON c.id = m.candidate_id "
                "JOIN problems p ON p.id = c.problem_row_id"
            ).fetchall()
        )
    assert set(rows) == {"pair-sum-count", "range-sum-queries"}
    assert rows["pair-sum-count"].startswith("the original could not be measured")
    assert rows["range-sum-queries"] is None
