"""The Cost page and the Problem page's prompts tab on a run whose techniques called a
(scripted) model: they show what the run's stored model calls add up to."""

from __future__ import annotations

from pathlib import Path

import pytest
from pages_helpers import column, page

from optbench.store import open_store
from tests.run.model_costs import NO_CODE, calls_by_technique, rows, run, script

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scripted_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, int, str]:
    folder = tmp_path_factory.mktemp("app-costs")
    db = folder / "costs.db"
    model = script(folder)
    return f"sqlite:///{db}", db, run(db, model), model


def test_cost_page_shows_each_techniques_tokens_and_time(
    scripted_run: tuple[str, Path, int, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, db, run_id, model = scripted_run
    per_technique = calls_by_technique(db, run_id)
    at = page("pages/5_Cost.py", url, monkeypatch)
    shown = dict(zip(column(at, "Entry"), column(at, "Tokens (in + out)"), strict=True))
    assert shown == {f"{t} · {model}": i + o for t, (i, o, _) in per_technique.items()}
    assert all(tokens > 0 for tokens in shown.values())
    assert not any("cost nothing" in c.value for c in at.caption)

    cost = next(s for s in at.selectbox if s.label == "Cost")
    cost.set_value("gen_time_s").run()
    assert not at.exception
    seconds = dict(zip(column(at, "Entry"), column(at, "Generation time (s)"), strict=True))
    for technique, (_, _, latency) in per_technique.items():
        assert seconds[f"{technique} · {model}"] == pytest.approx(latency)
        assert latency > 0


def test_problem_page_shows_the_calls_behind_a_candidate(
    scripted_run: tuple[str, Path, int, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, db, run_id, model = scripted_run
    ((problem_row, dataset, problem_id),) = rows(
        db,
        "SELECT DISTINCT c.problem_row_id, p.dataset, p.problem_id FROM candidates c "
        "JOIN problems p ON p.id = c.problem_row_id",
    )
    with open_store(url) as store:
        calls = store.model_calls(run_id)
    candidates = [cid for (cid,) in rows(db, "SELECT id FROM candidates WHERE run_id = ?", run_id)]
    at = page("pages/4_Problem.py", url, monkeypatch, query={"problem": f"{dataset}/{problem_id}"})
    for cid in candidates:
        at.selectbox(key=f"_candidate_{problem_row}").set_value(cid).run()
        assert not at.exception
        mine = [c for c in calls if c.candidate_id == cid]
        titles = [e.label for e in at.expander]
        for call in mine:
            title = f"Call #{call.id} · {model} · {call.input_tokens} in / {call.output_tokens} out"
            assert any(t.startswith(title) for t in titles), (title, titles)
            assert call.input_tokens > 0
        if any(c.completion == NO_CODE for c in mine):
            assert any(t.value == NO_CODE for t in at.text)
        assert mine and not any("No model call produced" in i.value for i in at.info)
