"""An exported report says what produced it: runs, configs, dataset hash, version, date."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from click.testing import CliRunner
from report_fixtures import Filled

import optbench
from optbench.cli import cli
from optbench.report import read_csv_meta
from optbench.report._provenance import database_label


def _export(filled: Filled, *args: str) -> str:
    result = CliRunner().invoke(cli, ["report", *args, "--db", str(filled.store.url)])
    assert result.exit_code == 0, result.output
    return result.output


def _check_meta(meta: dict, filled: Filled, **variant: object) -> None:
    run = filled.store.get_run(filled.run_id)
    assert meta["optbench_version"] == optbench.__version__
    assert datetime.fromisoformat(meta["generated_at"]).tzinfo is not None
    assert meta["run_ids"] == [filled.run_id]
    (described,) = meta["runs"]
    assert described["id"] == filled.run_id
    assert (described["dataset"], described["dataset_hash"]) == (run.dataset, run.dataset_hash)
    assert described["config"] == run.config
    for key, value in variant.items():
        assert meta["variant"][key] == value


def test_json_export_carries_a_meta_object(filled: Filled) -> None:
    data = json.loads(_export(filled, "--json", "--unclamped", "--best-at", "2"))
    assert set(data) == {"meta", "rows"}
    assert [r["technique"] for r in data["rows"]] == ["t1", "t2"]
    _check_meta(data["meta"], filled, clamp=False, k=2, pool="mean", per_problem=False)


def test_csv_export_carries_comment_lines_a_reader_skips(filled: Filled) -> None:
    text = _export(filled, "--format", "csv", "--per-problem")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments and text.startswith("# optbench report\n")
    _check_meta(read_csv_meta(text), filled, clamp=True, k=None, per_problem=True)
    table = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
    parsed = list(csv.DictReader(io.StringIO(table)))
    assert {r["problem_id"] for r in parsed} == {"p1", "p2", "p3"}
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(io.StringIO(text), comment="#")
    assert len(frame) == len(parsed)


def test_meta_hides_a_database_password() -> None:
    shown = database_label("postgresql://team:secret@db.example/optbench")
    assert shown == "postgresql://team:***@db.example/optbench"


def test_unknown_run_is_one_line(filled: Filled) -> None:
    result = CliRunner().invoke(cli, ["report", "7", "--json", "--db", str(filled.store.url)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["error: no run 7 in " + str(filled.store.url)]
