"""The terminal report fits 100 and 80 columns without cutting a cell; ``--wide`` has
every column."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_fixtures import EQ, NEQ, _problem, add, measurement

from optbench.cli import cli
from optbench.core import VerdictStatus
from optbench.report import per_problem, render, summarize, verdict_table
from optbench.report._compact import significant
from optbench.store import Store, open_store

ENTRIES = [("feedback(rounds=3)", "openai:qwen2.5-coder"), ("identity", "")]


@pytest.fixture
def two_runs(tmp_path: Path) -> Iterator[Store]:
    """Two runs of a feedback entry with a long name and a model-free baseline, with
    token counts, failed candidates and an unverified one."""
    with open_store(f"sqlite:///{tmp_path / 'layout.db'}") as store:
        rows = {pid: store.upsert_problem(_problem(pid)) for pid in ("p1", "p2", "p3")}
        for speedup in (2.5, 12.34):
            run = store.create_run(
                name=None,
                dataset="bundled",
                dataset_version="1",
                dataset_hash="h",
                config={},
                environment={},
            )
            technique, model = ENTRIES[0]
            for pid, row in rows.items():
                slot = f"{technique}-{pid}"
                add(store, run, row, slot, technique, EQ, measurement(speedup, True, 1.5),
                    (12_345, 2_048, 3.5), model=model)  # fmt: skip
                add(store, run, row, f"{slot}-b", technique, NEQ, model=model)
                add(store, run, row, f"{slot}-c", technique, VerdictStatus.TIMEOUT, model=model)
                add(store, run, row, f"{slot}-d", technique, None, model=model)
                add(
                    store, run, row, f"id-{pid}", "identity", EQ, measurement(1.01, False), model=""
                )
        yield store


def _cells_intact(text: str, width: int) -> None:
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width, text
    assert "…" not in text, text


def _numbers(rows) -> list[str]:
    """Figures a reader compares, written as the compact table writes them."""
    shown = []
    for r in rows:
        shown += [f"{r.correct_pct.value:.1f}", f"{r.opt_pct.value:.1f}"]
        for ratio in (r.speedup_mean, r.speedup_geomean, r.memory_ratio):
            shown += [] if math.isnan(ratio.value) else [f"{ratio.value:#.3g}".rstrip(".")]
    return shown


@pytest.mark.parametrize("width", [100, 80])
def test_summary_fits_without_cutting_a_cell(two_runs: Store, width: int) -> None:
    rows = summarize(two_runs)
    text = render(rows, width=width)
    _cells_intact(text, width)
    tokens = text.split()
    for figure in _numbers(rows):
        assert figure in tokens, (figure, text)
    if width == 100:
        assert "feedback(rounds=3)" in tokens and "openai:qwen2.5-coder" in tokens
    assert "identity" in tokens and "3 problems" in text
    verdicts = render(verdict_table(rows), width=width)
    _cells_intact(verdicts, width)
    assert {"Timeout", "Unverified", "25%"} <= set(verdicts.split())


@pytest.mark.parametrize("width", [100, 80])
def test_per_problem_fits_without_cutting_a_cell(two_runs: Store, width: int) -> None:
    rows = per_problem(two_runs)
    text = render(rows, width=width)
    _cells_intact(text, width)
    assert {"12.3", "2.50", "p1", "p2", "p3"} <= set(text.split())


def test_a_long_name_folds_at_80_columns_and_keeps_every_character(two_runs: Store) -> None:
    text = render(summarize(two_runs, [1]), width=80)
    _cells_intact(text, 80)
    first_column = "".join(line.split(" ")[0] for line in text.splitlines()[4:])
    assert "feedback(rounds=3)openai:qwen2.5-coder" in first_column


def test_cli_default_is_compact_and_wide_has_every_column(two_runs: Store) -> None:
    url = str(two_runs.url)
    compact = CliRunner().invoke(cli, ["report", "1", "2", "--db", url])
    assert compact.exit_code == 0, compact.output
    table = compact.output.split("Note:")[0]
    assert "Mem. n" not in table and "Unconfirmed" not in table
    assert "37k/6144" in table.split()

    wide = CliRunner().invoke(cli, ["report", "1", "2", "--wide", "--db", url])
    assert wide.exit_code == 0, wide.output
    for title in ("Mem. n", "Candidates", "Unconfirmed", "Tokens in", "Tokens out"):
        assert title in wide.output
    assert max(len(line) for line in wide.output.splitlines()) > 100


def test_compact_ratios_have_three_significant_digits() -> None:
    shown = [significant(v) for v in (2.754, 12.34, 1.0, 996.4, 141_160.0, 0.000219)]
    assert shown == ["2.75", "12.3", "1.00", "996", "1.4e5", "2.2e-4"]
    assert [significant(v) for v in (math.inf, -math.inf, math.nan)] == ["∞", "-∞", "–"]
