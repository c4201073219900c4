"""Every page against a hand-filled store: no exception, and the numbers shown are the
report's."""

from __future__ import annotations

import pytest
from dashboard_fixtures import Filled
from pages_helpers import PAGES, column, page

from optbench.report import (
    ProblemFilter,
    compare,
    cost_frontier,
    paired,
    problem_candidates,
    run_overview,
    summarize,
)
from optbench.store import open_store


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_with_its_title(
    name: str, filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page(name, filled.url, monkeypatch)
    assert at.title[0].value == PAGES[name]
    assert not at.error


def test_missing_database_is_an_error_not_a_new_file(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nothing.db"
    at = page("pages/2_Leaderboard.py", f"sqlite:///{missing}", monkeypatch)
    assert "No database" in at.error[0].value
    assert not missing.exists()


def test_runs_page_shows_progress(filled: Filled, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page("pages/1_Runs.py", filled.url, monkeypatch)
    with open_store(filled.url) as store:
        expected = run_overview(store)
    assert column(at, "Run") == [r.id for r in expected]
    assert column(at, "Verified") == [r.progress.verified for r in expected]
    assert column(at, "Measured") == [r.progress.measured for r in expected]
    assert column(at, "Status") == ["◐ running", "finished"]
    assert any("Progress of unfinished runs" in s.value for s in at.subheader)


def _leaderboard_matches(at, filled: Filled, run_ids=None, k=None, **variant) -> None:
    with open_store(filled.url) as store:
        rows = summarize(store, run_ids, k=k, **variant)
    at_k = f"@{k}" if k else ""
    assert column(at, "Technique") == [r.technique for r in rows]
    assert column(at, f"pass{at_k}" if k else "%Correct") == [r.correct_pct.value for r in rows]
    assert column(at, f"%Opt{at_k}") == pytest.approx([r.opt_pct.value for r in rows], nan_ok=True)
    assert column(at, f"Speedup{at_k}") == [r.speedup_mean.value for r in rows]
    assert column(at, f"Speedup{at_k} (geo)") == [r.speedup_geomean.value for r in rows]
    assert column(at, "Tokens in") == [r.tokens_in.value for r in rows]
    assert column(at, "Unconfirmed") == [r.unconfirmed for r in rows]


def test_leaderboard_numbers_are_the_reports(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page("pages/2_Leaderboard.py", filled.url, monkeypatch)
    _leaderboard_matches(at, filled)

    at.toggle[0].set_value(True).run()
    with open_store(filled.url) as store:
        rows = summarize(store)
    assert column(at, "Speedup low") == [r.speedup_mean.low for r in rows]
    assert column(at, "Speedup high") == [r.speedup_mean.high for r in rows]


def test_leaderboard_variants_are_the_reports(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page("pages/2_Leaderboard.py", filled.url, monkeypatch)
    at.radio(key="_variant_speedup").set_value("unclamped").run()
    at.radio(key="_variant_samples").set_value("at_k").run()
    at.number_input(key="_variant_k").set_value(2).run()
    at.radio(key="_variant_opt").set_value("correct").run()
    assert not at.exception
    _leaderboard_matches(at, filled, clamp=False, k=2, opt_over="correct")
    assert any("unbiased estimates of the best of 2 samples" in c.value for c in at.caption)

    at.multiselect(key="_filter_kinds").set_value(["program"]).run()
    _leaderboard_matches(
        at, filled, clamp=False, k=2, opt_over="correct", problems=ProblemFilter(kinds=("program",))
    )
    assert set(column(at, "Problems")) == {1}


def test_leaderboard_averages_repeated_runs_unless_pooling_is_chosen(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page("pages/2_Leaderboard.py", filled.url, monkeypatch)
    _leaderboard_matches(at, filled, pool="mean")
    assert column(at, "Runs") == ["mean of 2 runs", "1 run"]
    assert any("Repeated runs of feedback · m" in c.value for c in at.caption)
    assert any("are unconfirmed" in w.value for w in at.warning)

    at.radio(key="_variant_pool").set_value("best").run()
    _leaderboard_matches(at, filled, pool="best")
    assert column(at, "Runs") == ["best of 2 runs (pooled)", "1 run"]
    with open_store(filled.url) as store:
        mean, best = summarize(store)[0], summarize(store, pool="best")[0]
    assert mean.speedup_mean.value < best.speedup_mean.value


def test_leaderboard_verdict_breakdown_is_the_reports(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page("pages/2_Leaderboard.py", filled.url, monkeypatch)
    assert any(s.value == "Candidates by verdict" for s in at.subheader)
    with open_store(filled.url) as store:
        rows = summarize(store)
    verdicts = at.dataframe[1].value
    assert verdicts["Technique"].tolist() == [r.technique for r in rows]
    assert verdicts["Candidates"].tolist() == [r.verdicts.total for r in rows]
    for title, category in (
        ("Equivalent", "equivalent"),
        ("Not equiv.", "not_equivalent"),
        ("No code", "no_code"),
        ("Unverified", "unverified"),
    ):
        assert verdicts[title].tolist() == [getattr(r.verdicts, category) for r in rows]
        assert verdicts[f"{title} %"].tolist() == [r.verdicts.shares()[category] for r in rows]
    feedback = rows[0].verdicts
    assert (feedback.no_code, feedback.unverified, feedback.total) == (1, 1, 6)
    assert "Timeout" not in verdicts.columns


def test_run_selection_comes_from_the_url_and_survives_page_changes(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = filled.runs[1]
    at = page("Home.py", filled.url, monkeypatch, query={"runs": str(second)})
    assert at.session_state["run_ids"] == [second]
    at.switch_page("pages/2_Leaderboard.py").run()
    assert not at.exception
    _leaderboard_matches(at, filled, [second])

    at.multiselect(key="_run_ids").set_value([]).run()
    assert at.session_state["run_ids"] == []
    _leaderboard_matches(at, filled)


def test_compare_page_is_the_paired_report(filled: Filled, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page("pages/3_Compare.py", filled.url, monkeypatch)
    a, b = ("feedback", "m"), ("identity", "")
    with open_store(filled.url) as store:
        expected = compare(store, a, b)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Problems"] == str(expected.problems)
    assert metrics["feedback · m wins"] == str(expected.wins)
    assert metrics["identity wins"] == str(expected.losses)
    assert metrics["Ties"] == str(expected.ties)
    assert f"p = {expected.wilcoxon_p:.3f}" in at.markdown[0].value
    with open_store(filled.url) as store:
        pairs = paired(store, a, b)
    # feedback has two runs: p1 scores the mean of 2.5 (run 1) and 1.0 (run 2, unverified)
    assert column(at, "feedback · m") == [p.score_a for p in pairs] == [1.75, 3.0]
    assert any("mean of its per-run scores" in c.value for c in at.caption)


def test_problem_page_shows_diff_verdict_lineage_and_prompts(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    p1 = filled.problem_rows["p1"]
    at = page("pages/4_Problem.py", filled.url, monkeypatch, query={"problem": "bundled/p1"})
    with open_store(filled.url) as store:
        found = problem_candidates(store, p1)
    assert column(at, "Candidate") == [c.id for c in found]

    root, _, last = filled.chain
    assert at.selectbox(key=f"_candidate_{p1}").value == last
    codes = [c.value for c in at.code]
    assert any(c.startswith("--- original") and "+    return (n - 1)" in c for c in codes)
    assert any("└─ #" in c for c in codes)

    at.selectbox(key=f"_candidate_{p1}").set_value(root).run()
    assert not at.exception
    assert "not_equivalent" in at.error[0].value
    codes = [c.value for c in at.code]
    assert "n=-1" in codes and "-0" in codes
    assert any("Make this faster (fb-p1-0)." in t.value for t in at.text)


def test_cost_page_front_is_the_reports(filled: Filled, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page("pages/5_Cost.py", filled.url, monkeypatch)
    with open_store(filled.url) as store:
        points = cost_frontier(summarize(store))
    assert column(at, "Tokens (in + out)") == [p.cost for p in points]
    assert column(at, "Speedup (geo)") == [p.benefit for p in points]
    assert column(at, "Front") == ["Pareto front"] * 2
