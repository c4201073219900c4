"""Views a researcher shares and watches: figures that follow the database, runs in
progress flagged, the technique × problem heatmap, every choice in the URL (with a
warning for what cannot be honoured), native tables and the Runs page's headline
figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dashboard_fixtures import Filled, _add, equivalent, fill
from pages_helpers import PAGES, column, page

from optbench.report import ProblemFilter, per_problem, problem_means, summarize
from optbench.store import open_store

LIVE = "◐ in progress"


def _warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def _formats(at, index: int = 0) -> dict[str, str]:
    columns = json.loads(at.dataframe[index].proto.columns)
    return {
        title: spec["type_config"].get("format", "")
        for title, spec in columns.items()
        if "type_config" in spec
    }


def test_new_results_appear_without_a_refresh(tmp_path: Path, monkeypatch) -> None:
    filled = fill(tmp_path / "growing.db")
    at = page("pages/2_Leaderboard.py", filled.url, monkeypatch)
    with open_store(filled.url) as store:
        before = summarize(store)
        _add(
            store,
            filled.runs[1],
            filled.problem_rows["p2"],
            "late-p2",
            "feedback",
            "m",
            "def p2(n):\n    return n\n",
            verdict=equivalent(),
            speedup=9.0,
        )
        after = summarize(store)
    assert after[0].speedup_mean.value != before[0].speedup_mean.value
    assert not any("Refresh" in b.label for b in at.button)

    at.run()
    assert column(at, "Speedup") == [r.speedup_mean.value for r in after]


def test_runs_in_progress_are_flagged_where_their_figures_appear(
    filled: Filled, monkeypatch
) -> None:
    running = f"#{filled.runs[1]}"
    leaderboard = page("pages/2_Leaderboard.py", filled.url, monkeypatch)
    assert any(running in w and "still in progress" in w for w in _warnings(leaderboard))
    assert column(leaderboard, "Technique") == ["feedback", "identity"]
    assert column(leaderboard, "Status") == [LIVE, "final"]

    heatmap = page("pages/6_Heatmap.py", filled.url, monkeypatch)
    status = dict(zip(column(heatmap, "Technique"), column(heatmap, "Status"), strict=False))
    assert status == {"feedback": LIVE, "identity": "final"}

    finished = page(
        "pages/2_Leaderboard.py", filled.url, monkeypatch, query={"runs": str(filled.runs[0])}
    )
    assert not any("still in progress" in w for w in _warnings(finished))
    assert "Status" not in finished.dataframe[0].value.columns


def test_heatmap_has_speedup_and_verdict_per_cell_and_links_to_the_problem(
    filled: Filled, monkeypatch
) -> None:
    at = page("pages/6_Heatmap.py", filled.url, monkeypatch, query={"runs": "1"})
    with open_store(filled.url) as store:
        results = per_problem(store, [1])
    expected = {
        (m.technique, f"{m.dataset}/{m.problem_id}"): m.score for m in problem_means(results)
    }
    table = at.dataframe[0].value
    shown = {
        (t, p): s
        for t, p, s in zip(table["Technique"], table["Problem"], table["Speedup"], strict=True)
    }
    assert shown == expected
    cells = zip(table["Technique"], table["Problem"], strict=True)
    verdicts = dict(zip(cells, table["Verdict"], strict=True))
    assert verdicts[("feedback", "bundled/p1")] == "optimized"
    assert verdicts[("identity", "bundled/p2")] == "equivalent"
    links = dict(zip(table["Problem"], table["Open"], strict=False))
    assert (
        links["bundled/p1"].startswith("Problem?") and "problem=bundled/p1" in links["bundled/p1"]
    )
    assert "runs=1" in links["bundled/p1"]
    charts = at.get("vega_lite_chart")
    spec = json.loads(charts[0].proto.spec)
    assert any(layer["encoding"].get("href") for layer in spec["layer"])

    problem = page(
        "pages/4_Problem.py", filled.url, monkeypatch, query={"problem": "bundled/p1", "runs": "1"}
    )
    assert problem.selectbox(key="_problem").value == "bundled/p1"


def test_heatmap_filters_by_tag_and_sorts(filled: Filled, monkeypatch) -> None:
    at = page("pages/6_Heatmap.py", filled.url, monkeypatch, query={"tag": "io"})
    assert set(column(at, "Problem")) == {"bundled/p2"}
    at.multiselect(key="_filter_tags").set_value([]).run()
    assert set(column(at, "Problem")) == {"bundled/p1", "bundled/p2"}
    at.radio(key="_heatmap_order").set_value("best").run()
    assert at.query_params["order"] == "best"


def test_a_shared_url_reopens_the_same_leaderboard(filled: Filled, monkeypatch) -> None:
    query = {
        "runs": "1",
        "speedup": "unclamped",
        "k": "2",
        "pool": "best",
        "opt": "correct",
        "kind": "program",
    }
    at = page("pages/2_Leaderboard.py", filled.url, monkeypatch, query=query)
    assert not _warnings(at)
    with open_store(filled.url) as store:
        rows = summarize(
            store,
            [1],
            clamp=False,
            k=2,
            pool="best",
            opt_over="correct",
            problems=ProblemFilter(kinds=("program",)),
        )
    assert column(at, "Speedup@2") == [r.speedup_mean.value for r in rows]
    assert {key: at.query_params[key] for key in query} == query

    at.radio(key="_variant_pool").set_value("mean").run()
    assert "pool" not in at.query_params


def test_a_shared_url_reopens_compare_and_problem(filled: Filled, monkeypatch) -> None:
    compare = page(
        "pages/3_Compare.py", filled.url, monkeypatch, query={"a": "identity", "b": "feedback|m"}
    )
    assert compare.selectbox(key="_compare_a").value == ("identity", "")
    assert compare.selectbox(key="_compare_b").value == ("feedback", "m")
    assert "identity wins" in [m.label for m in compare.metric]

    root = filled.chain[0]
    query = {"problem": "bundled/p1", "candidate": str(root), "tab": "verdict"}
    problem = page("pages/4_Problem.py", filled.url, monkeypatch, query=query)
    assert problem.selectbox(key=f"_candidate_{filled.problem_rows['p1']}").value == root
    assert problem.session_state["problem_tab"] == "verdict"
    assert {key: problem.query_params[key] for key in query} == query

    problem.selectbox(key="_problem").set_value("bundled/p2").run()
    assert not [w for w in _warnings(problem) if "URL parameter" in w]
    p2 = problem.selectbox(key=f"_candidate_{filled.problem_rows['p2']}").value
    assert problem.query_params["candidate"] == str(p2)


@pytest.mark.parametrize(
    ("name", "query", "named"),
    [
        ("pages/2_Leaderboard.py", {"runs": "1,99"}, "`runs`: no run 99"),
        ("pages/2_Leaderboard.py", {"k": "two"}, "`k=two`"),
        ("pages/2_Leaderboard.py", {"pool": "median"}, "`pool=median`"),
        ("pages/2_Leaderboard.py", {"tag": "gpu"}, "`tag`: no tag gpu"),
        ("pages/3_Compare.py", {"a": "nosuch|m"}, "`a=nosuch|m`"),
        ("pages/4_Problem.py", {"problem": "bundled/p9"}, "`problem=bundled/p9`"),
        ("pages/4_Problem.py", {"problem": "bundled/p1", "tab": "diff"}, "`tab=diff`"),
        ("pages/4_Problem.py", {"problem": "bundled/p1", "candidate": "999"}, "`candidate=999`"),
    ],
)
def test_a_bad_url_parameter_is_named_in_a_warning(
    filled: Filled, monkeypatch, name: str, query: dict[str, str], named: str
) -> None:
    at = page(name, filled.url, monkeypatch, query=query)
    assert any(named in w for w in _warnings(at)), _warnings(at)


@pytest.mark.parametrize("name", [n for n in PAGES if n != "Home.py"])
def test_tables_are_native_with_no_none_cells(filled: Filled, monkeypatch, name: str) -> None:
    at = page(name, filled.url, monkeypatch)
    assert not at.number_input or all("Page" not in n.label for n in at.number_input)
    for table in at.dataframe:
        frame = table.value
        for title in frame.select_dtypes(include=["object", "string"]).columns:
            assert not frame[title].map(lambda v: v is None or v == "None").any(), (name, title)


def test_number_formats_are_consistent(filled: Filled, monkeypatch) -> None:
    leaderboard = _formats(page("pages/2_Leaderboard.py", filled.url, monkeypatch))
    assert leaderboard["Speedup"] == leaderboard["Memory ratio"] == "%.2f×"
    assert leaderboard["%Correct"] == "%.1f%%"
    problem = page("pages/4_Problem.py", filled.url, monkeypatch, query={"problem": "bundled/p1"})
    assert _formats(problem)["Speedup"] == "%.2f×"
    assert any(m.label == "Speedup" and m.value.endswith("×") for m in problem.metric)
    compare = page("pages/3_Compare.py", filled.url, monkeypatch)
    assert "p = 0.500" in compare.markdown[0].value


def test_runs_table_shows_each_runs_headline_figures(filled: Filled, monkeypatch) -> None:
    at = page("pages/1_Runs.py", filled.url, monkeypatch)
    runs = column(at, "Run")
    with open_store(filled.url) as store:
        best = [
            max(summarize(store, [r]), key=lambda m: (m.speedup_mean.value, m.correct_pct.value))
            for r in runs
        ]
    assert column(at, "Best entry") == ["feedback · m", "feedback · m"]
    assert column(at, "%Correct") == [b.correct_pct.value for b in best]
    assert column(at, "%Opt") == [b.opt_pct.value for b in best]
    assert column(at, "Speedup") == [b.speedup_mean.value for b in best]
    per_entry = at.dataframe[1].value
    with open_store(filled.url) as store:
        first = summarize(store, [filled.runs[0]])
    mine = per_entry[per_entry["Run"] == filled.runs[0]]
    assert mine["%Opt"].tolist() == [m.opt_pct.value for m in first]
