"""What became of each entry's candidates: counts and shares per verdict."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_fixtures import EQ, Filled, _problem, add, measurement

from optbench.cli import cli
from optbench.core import Candidate, Stage, Verdict, VerdictStatus
from optbench.report import CATEGORIES, VerdictCounts, format_report, summarize, verdict_table
from optbench.store import Store, open_store


def _placeholder(store: Store, run: int, row: int, slot: str, outcome: str | None) -> None:
    """A row the runner stores in place of code (or, without ``outcome``, empty code that
    failed like any other code)."""
    extra = {"outcome": outcome, "message": f"{outcome}: ..."} if outcome else {}
    cid = store.add_candidate(
        run_id=run,
        problem_row=row,
        slot_key=f"{run}/{slot}",
        candidate=Candidate(code="", technique="t", model="m", extra=extra),
    )
    store.save_verdict(cid, Verdict(VerdictStatus.ERROR, Stage.STATIC, message=str(outcome)))


@pytest.fixture
def every_kind(tmp_path: Path) -> Store:
    with open_store(f"sqlite:///{tmp_path / 'verdicts.db'}") as store:
        run = store.create_run(
            name=None,
            dataset="bundled",
            dataset_version="1",
            dataset_hash="h",
            config={},
            environment={},
        )
        row = store.upsert_problem(_problem("p1"))
        add(store, run, row, "eq-a", "t", EQ, measurement(1.2, True))
        add(store, run, row, "eq-b", "t", EQ, measurement(1.1, True))
        for status in ("not_equivalent", "error", "timeout", "rejected"):
            add(store, run, row, status, "t", VerdictStatus(status))
        add(store, run, row, "unverified", "t", None)
        _placeholder(store, run, row, "no-code-a", "no_code")
        _placeholder(store, run, row, "no-code-b", "no_code")
        _placeholder(store, run, row, "model-error", "model_error")
        _placeholder(store, run, row, "nothing", "no_candidate")
        _placeholder(store, run, row, "empty", None)
        add(store, run, row, "other", "u", EQ, measurement(1.0, False))
        yield store


def test_counts_and_shares_per_entry(every_kind: Store) -> None:
    rows = {r.technique: r for r in summarize(every_kind)}
    t = rows["t"].verdicts
    assert t == VerdictCounts(
        equivalent=2,
        not_equivalent=1,
        error=2,
        timeout=1,
        rejected=1,
        no_code=2,
        model_error=1,
        no_candidate=1,
        unverified=1,
    )
    assert t.total == rows["t"].candidates == 12
    assert t.shares()["no_code"] == pytest.approx(100 * 2 / 12)
    assert sum(t.shares().values()) == pytest.approx(100.0)
    assert rows["u"].verdicts == VerdictCounts(equivalent=1)


def test_json_and_csv_carry_the_breakdown(every_kind: Store) -> None:
    data = {r["technique"]: r for r in json.loads(format_report(summarize(every_kind), "json"))}
    assert data["t"]["verdict_no_code"] == 2
    assert data["t"]["verdict_no_code_pct"] == pytest.approx(100 * 2 / 12)
    assert data["u"]["verdict_equivalent_pct"] == 100.0
    assert all(f"verdict_{c}" in data["u"] for c in CATEGORIES)
    parsed = list(csv.DictReader(io.StringIO(format_report(summarize(every_kind), "csv"))))
    assert parsed[0]["verdict_model_error"] == "1" and parsed[1]["verdict_model_error"] == "0"


def test_text_report_has_a_compact_verdict_table(every_kind: Store) -> None:
    table = verdict_table(summarize(every_kind))
    assert table[0] == {
        "technique": "t",
        "model": "m",
        "candidates": 12,
        "equivalent": "2 (17%)",
        "not_equivalent": "1 (8%)",
        "error": "2 (17%)",
        "timeout": "1 (8%)",
        "rejected": "1 (8%)",
        "no_code": "2 (17%)",
        "model_error": "1 (8%)",
        "no_candidate": "1 (8%)",
        "unverified": "1 (8%)",
    }
    result = CliRunner().invoke(cli, ["report", "--db", str(every_kind.url)])
    assert result.exit_code == 0, result.output
    assert "Candidates by verdict" in result.output
    assert "candidate" in result.output and "17%" in result.output.split()
    wide = CliRunner().invoke(cli, ["report", "--wide", "--db", str(every_kind.url)])
    assert "No candidate" in wide.output and "2 (17%)" in wide.output


def test_categories_no_entry_has_are_left_out_of_the_table(filled: Filled) -> None:
    table = verdict_table(summarize(filled.store))
    assert list(table[0]) == ["technique", "model", "candidates", "equivalent", "not_equivalent"]
    assert [row["not_equivalent"] for row in table] == ["1 (25%)", "1 (33%)"]
