"""Every page against a store filled by a real ``optbench run`` (verified and timed)."""

from __future__ import annotations

import pytest
from pages_helpers import PAGES, column, page

from optbench.report import per_problem, run_overview, summarize
from optbench.store import open_store

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders(name: str, real_run: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page(name, real_run, monkeypatch)
    assert at.title[0].value == PAGES[name]
    assert not at.error


def test_leaderboard_equals_summarize(real_run: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page("pages/2_Leaderboard.py", real_run, monkeypatch)
    with open_store(real_run) as store:
        rows = summarize(store)
    assert {"identity", "reference"} <= set(column(at, "Technique"))
    assert column(at, "Technique") == [r.technique for r in rows]
    assert column(at, "%Correct") == [r.correct_pct.value for r in rows]
    assert column(at, "%Opt") == [r.opt_pct.value for r in rows]
    assert column(at, "Speedup") == [r.speedup_mean.value for r in rows]
    assert column(at, "Speedup (geo)") == [r.speedup_geomean.value for r in rows]
    assert column(at, "Memory ratio") == [r.memory_ratio.value for r in rows]

    at.radio(key="_variant_speedup").set_value("unclamped").run()
    with open_store(real_run) as store:
        unclamped = summarize(store, clamp=False)
    assert column(at, "Speedup") == [r.speedup_mean.value for r in unclamped]


def test_runs_page_shows_the_finished_run(real_run: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page("pages/1_Runs.py", real_run, monkeypatch)
    with open_store(real_run) as store:
        (run,) = run_overview(store)
    assert column(at, "Status") == ["finished"]
    assert column(at, "Candidates") == [run.progress.candidates]
    assert column(at, "Measured") == [run.progress.measured]
    assert column(at, "Profile") == ["smoke"]


def test_problem_page_shows_timings_of_the_best_candidate(
    real_run: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page("pages/4_Problem.py", real_run, monkeypatch)
    with open_store(real_run) as store:
        results = per_problem(store)
    problem_id = at.selectbox(key="_problem").value
    best = max(
        (r for r in results if problem_id.endswith(r.problem_id) and r.speedup is not None),
        key=lambda r: r.speedup or 0.0,
    )
    candidate = at.selectbox(key=f"_candidate_{best.problem_row}")
    assert candidate.value == best.best_candidate_id
    speedup = next(m for m in at.metric if m.label == "Speedup")
    from optbench_app.formats import ratio

    assert speedup.value == ratio(best.speedup)
    assert any(s.value.startswith("equivalent") or "equivalent" in s.value for s in at.success)
