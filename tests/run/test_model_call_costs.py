"""Every model call of a run is linked to the candidate it produced, once: the report's
tokens and generation time per technique are the sums of the run's stored model calls,
on a fresh run, a resumed one and a rerun served from the cache. And every technique
numbers its candidates' samples and rounds the same way."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from model_costs import (
    CALLS,
    NO_CODE,
    TECHNIQUES,
    call_totals,
    calls_by_technique,
    optbench,
    rows,
    run,
    script,
)

from optbench.report import load_records, summarize
from optbench.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    folder = tmp_path_factory.mktemp("costs")
    model = script(folder)
    db = folder / "costs.db"
    return db, run(db, model), model


def _name(label: str) -> str:
    return label.split("(")[0]


def _unlinked(db: Path, run_id: int) -> int:
    ((count,),) = rows(
        db, "SELECT COUNT(*) FROM model_calls WHERE run_id = ? AND candidate_id IS NULL", run_id
    )
    return int(count)


def test_report_counts_every_stored_call_once(scripted: tuple[Path, int, str]) -> None:
    db, run_id, _ = scripted
    tokens_in, tokens_out, latency, count = call_totals(db, run_id)
    assert count == CALLS
    assert _unlinked(db, run_id) == 0
    with open_store(f"sqlite:///{db}") as store:
        records = load_records(store, [run_id])
        summary = {row.technique: row for row in summarize(store, [run_id])}
    assert sum(r.tokens_in for r in records) == tokens_in > 0
    assert sum(r.tokens_out for r in records) == tokens_out > 0
    assert sum(r.gen_time_s for r in records) == pytest.approx(latency)
    assert latency > 0

    per_technique = calls_by_technique(db, run_id)
    assert sorted(_name(t) for t in per_technique) == sorted(_name(t) for t in TECHNIQUES)
    assert set(summary) == set(per_technique)
    for technique, (calls_in, calls_out, calls_s) in per_technique.items():
        row = summary[technique]
        assert row.tokens_in.value == calls_in > 0, technique
        assert row.tokens_out.value == calls_out > 0, technique
        assert row.gen_time_s.value == pytest.approx(calls_s), technique
        assert calls_s > 0, technique


def test_replies_without_code_and_cache_hits_carry_their_calls(
    scripted: tuple[Path, int, str],
) -> None:
    db, run_id, _ = scripted
    ((outcome_calls,),) = rows(
        db,
        "SELECT COUNT(*) FROM model_calls m JOIN candidates c ON c.id = m.candidate_id "
        "WHERE m.run_id = ? AND c.code = '' AND m.completion = ?",
        run_id,
        NO_CODE,
    )
    assert outcome_calls == 1
    # feedback's round 0 repeats zero_shot's request: a cache hit, counted with the
    # tokens of the call that produced the reply
    hits = rows(
        db,
        "SELECT c.technique, m.input_tokens, m.output_tokens, m.cache_key FROM model_calls m "
        "JOIN candidates c ON c.id = m.candidate_id WHERE m.run_id = ? AND m.cache_hit",
        run_id,
    )
    assert [_name(t) for t, *_ in hits] == ["feedback"]
    ((_, hit_in, hit_out, key),) = hits
    produced = rows(
        db,
        "SELECT input_tokens, output_tokens FROM model_calls WHERE cache_key = ? AND NOT cache_hit",
        key,
    )
    assert produced == [(hit_in, hit_out)]


def test_samples_and_rounds_are_numbered_alike_in_every_technique(
    scripted: tuple[Path, int, str],
) -> None:
    db, run_id, _ = scripted
    found = rows(
        db,
        "SELECT id, technique, sample, round, parent_candidate_id, code, extra "
        "FROM candidates WHERE run_id = ? ORDER BY id",
        run_id,
    )
    by_id = {row[0]: row for row in found}
    pairs: dict[str, list[tuple[int, int]]] = {}
    for _, technique, sample, round_, *_ in found:
        pairs.setdefault(_name(technique), []).append((sample, round_))
    for single in ("zero_shot", "few_shot", "cot", "perf_conditioned", "rag"):
        assert pairs[single] == [(0, 0)], single
    assert sorted(pairs["best_of_n"]) == [(0, 0), (1, 0), (2, 0)]  # sample 1 had no code
    assert pairs["feedback"] == [(0, 0), (0, 1)]
    search = [row for row in found if _name(row[1]) == "evolve"]
    assert sorted((s, r) for _, _, s, r, *_ in search if r == 0) == [(0, 0), (1, 0)]
    children = [row for row in search if row[3] == 1]
    assert children
    for _, _, sample, _, parent, _, extra in children:
        parents = json.loads(extra)["parents"]
        assert parent == parents[0]
        assert sample == max(by_id[p][2] for p in parents)


def test_resume_links_the_calls_made_before_the_kill_and_adds_none(
    scripted: tuple[Path, int, str], tmp_path: Path
) -> None:
    source, run_id, _ = scripted
    db = tmp_path / "resumed.db"
    shutil.copy(source, db)
    before = calls_by_technique(db, run_id)
    totals = call_totals(db, run_id)
    # killed after zero_shot's call was recorded, before its candidate was stored
    ((zero_shot, call_id),) = rows(
        db,
        "SELECT c.id, m.id FROM candidates c JOIN model_calls m ON m.candidate_id = c.id "
        "WHERE c.run_id = ? AND c.technique = 'zero_shot'",
        run_id,
    )
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE model_calls SET candidate_id = NULL WHERE id = ?", (call_id,))
        conn.execute("DELETE FROM verdicts WHERE candidate_id = ?", (zero_shot,))
        conn.execute("DELETE FROM candidates WHERE id = ?", (zero_shot,))
        conn.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", (run_id,))
    assert _unlinked(db, run_id) == 1

    optbench(db, "run", "--resume", str(run_id))

    assert call_totals(db, run_id) == totals
    assert _unlinked(db, run_id) == 0
    assert calls_by_technique(db, run_id) == before
    ((linked_to,),) = rows(db, "SELECT candidate_id FROM model_calls WHERE id = ?", call_id)
    ((technique,),) = rows(db, "SELECT technique FROM candidates WHERE id = ?", linked_to)
    assert technique == "zero_shot"


def test_a_rerun_from_the_cache_costs_what_the_calls_that_produced_it_cost(
    scripted: tuple[Path, int, str], tmp_path: Path
) -> None:
    source, first, model = scripted
    db = tmp_path / "rerun.db"
    shutil.copy(source, db)
    second = run(db, model)
    assert second != first
    ((hits, count),) = rows(
        db, "SELECT SUM(cache_hit), COUNT(*) FROM model_calls WHERE run_id = ?", second
    )
    assert hits == count == CALLS
    assert _unlinked(db, second) == 0
    assert calls_by_technique(db, second) == calls_by_technique(db, first)
    with open_store(f"sqlite:///{db}") as store:
        again = {r.technique: r for r in summarize(store, [second])}
    for technique, (tokens_in, tokens_out, _) in calls_by_technique(db, first).items():
        assert again[technique].tokens_in.value == tokens_in > 0
        assert again[technique].tokens_out.value == tokens_out > 0
