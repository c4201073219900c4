from __future__ import annotations

import csv
import io
import json

import pytest
from report_fixtures import Filled
from rich.table import Table

from optbench.report import compare, format_report, per_problem, render, summarize


def test_paired_comparison(filled: Filled) -> None:
    result = compare(filled.store, ("t1", "m"), ("t2", "m"), [filled.run_id])
    assert result.problems == 3
    assert (result.wins, result.losses, result.ties) == (1, 1, 1)
    assert result.sign_p == 1.0 and result.wilcoxon_p == pytest.approx(1.0)
    assert result.ratio.value == pytest.approx((2.0 / 1.2 * 1.0 / 1.1) ** (1 / 3))


def test_comparison_tie_tolerance(filled: Filled) -> None:
    result = compare(filled.store, ("t1", "m"), ("t2", "m"), tie_tolerance=0.15)
    assert (result.wins, result.losses, result.ties) == (1, 0, 2)
    assert result.sign_p == 1.0


def test_comparison_unknown_entry(filled: Filled) -> None:
    with pytest.raises(KeyError, match="nope"):
        compare(filled.store, ("t1", "m"), ("nope", "m"))


def test_json_and_csv_flatten_intervals(filled: Filled) -> None:
    rows = summarize(filled.store)
    data = json.loads(format_report(rows, "json"))
    assert [d["technique"] for d in data] == ["t1", "t2"]
    assert data[0]["speedup_mean"] == pytest.approx(4 / 3)
    assert data[0]["speedup_mean_low"] <= data[0]["speedup_mean"] <= data[0]["speedup_mean_high"]
    assert data[1]["memory_ratio"] is None
    parsed = list(csv.DictReader(io.StringIO(format_report(rows, "csv"))))
    assert float(parsed[0]["correct_pct"]) == pytest.approx(200 / 3)
    assert "opt_pct_low" in parsed[0]


def test_markdown_and_table(filled: Filled) -> None:
    rows = summarize(filled.store)
    markdown = format_report(rows, "markdown", title="PIE metrics")
    lines = markdown.splitlines()
    assert "| Technique | Model | Problems | Runs | %Correct | %Opt | Speedup |" in lines[2]
    assert lines[4].startswith("| t1 | m | 3 | 1 | 66.7 [")
    table = format_report(rows, "table")
    assert isinstance(table, Table) and table.row_count == 2
    text = render(rows)
    assert "%Correct" in text and "1.33" in text and "1.00–2.00" in text


def test_per_problem_and_comparison_render(filled: Filled) -> None:
    assert "p3" in render(per_problem(filled.store), "markdown")
    comparison = compare(filled.store, ("t1", "m"), ("t2", "m"))
    assert "Wilcoxon p" in render([comparison])


def test_unknown_format_and_empty_rows() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        format_report([], "html")
    assert format_report([], "json") == "[]"
    assert format_report([], "csv").strip() == ""
