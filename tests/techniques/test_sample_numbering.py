"""Every technique numbers its candidates alike: ``sample`` is the independent draw a
candidate descends from, ``round`` the refinement round or generation; a reply without
code is reported with the numbering (and the model call) the candidate would have had."""

from __future__ import annotations

from optbench.core.candidate import Candidate
from optbench.techniques import create_technique
from tests.techniques.conftest import FAST_FIB, OFF_BY_ONE_FIB, WRONG_FIB

NO_CODE = "I would rather not."


def _recording(h) -> list[Candidate]:  # type: ignore[no-untyped-def]
    outcomes: list[Candidate] = []
    h.ctx.outcome = lambda message, candidate: outcomes.append(candidate)
    return outcomes


def test_best_of_n_numbers_every_draw_and_reports_the_one_without_code(harness) -> None:
    h = harness(replies=[WRONG_FIB, NO_CODE, FAST_FIB])
    outcomes = _recording(h)
    made = list(create_technique("best_of_n", n=3).optimize(h.ctx.problem, h.ctx))
    assert [(c.sample, c.round) for c in made] == [(0, 0), (2, 0)]
    ((outcome,),) = [outcomes]
    assert (outcome.sample, outcome.round, outcome.code) == (1, 0, "")
    assert outcome.extra["outcome"] == "no_code"
    records = h.ctx.model.cache.records
    assert [c.call_ids for c in made] == [[1], [3]]
    assert outcome.call_ids == [2] and records[1].completion == NO_CODE


def test_feedback_rounds_stay_on_their_draw(harness) -> None:
    h = harness(replies=[WRONG_FIB, OFF_BY_ONE_FIB, NO_CODE])  # wrong, right, no code
    outcomes = _recording(h)
    made = list(create_technique("feedback", rounds=3, hotspots=0).optimize(h.ctx.problem, h.ctx))
    assert [(c.sample, c.round) for c in made] == [(0, 0), (0, 1)]
    ((outcome,),) = [outcomes]
    assert (outcome.sample, outcome.round, outcome.parent_id) == (0, 2, made[-1].id)


def test_search_children_take_the_largest_sample_of_their_parents(harness) -> None:
    replies = iter(range(1000))

    def reply(messages) -> str:  # type: ignore[no-untyped-def]
        n = next(replies)
        if "Parent A" in messages[-1].content:  # crossover
            return FAST_FIB.replace("a, b = 0, 1", f"a, b = 0, 1  # child {n}")
        return [WRONG_FIB, OFF_BY_ONE_FIB][n % 2]

    h = harness(reply_fn=reply)
    technique = create_technique(
        "evolve", population=2, generations=2, crossover_rate=1.0, temperature=0.8
    )
    made = list(technique.optimize(h.ctx.problem, h.ctx))
    by_id = {c.id: c for c in made}
    initial = [c for c in made if c.round == 0]
    assert sorted(c.sample for c in initial) == [0, 1]
    children = [c for c in made if c.round > 0]
    assert children
    for child in children:
        parents = child.extra["parents"]
        assert len(parents) == 2 and child.parent_id == parents[0]
        assert child.sample == max(by_id[p].sample for p in parents)
