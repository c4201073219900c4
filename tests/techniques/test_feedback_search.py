"""feedback and search: prompts carry the evaluation, loops stop, lineage is kept."""

from __future__ import annotations

from optbench.techniques import create_technique
from tests.techniques.conftest import FAST_FIB, OFF_BY_ONE_FIB, WRONG_FIB


def test_feedback_shows_the_counterexample_and_links_rounds(harness):
    h = harness(replies=[WRONG_FIB, FAST_FIB, FAST_FIB])
    technique = create_technique("feedback", rounds=3, hotspots=0)
    candidates = list(technique.optimize(h.ctx.problem, h.ctx))
    assert [c.round for c in candidates] == [0, 1, 2]
    assert candidates[0].parent_id is None
    assert candidates[1].parent_id == candidates[0].id
    first = h.feedbacks[0]
    assert not first.equivalent and first.verdict.counterexample is not None
    second_prompt = h.prompts[1]
    assert first.verdict.counterexample.for_prompt() in second_prompt
    assert "does not behave like the original" in second_prompt
    assert WRONG_FIB.strip("`\npython") in second_prompt or "return n" in second_prompt


def test_feedback_stops_when_a_round_does_not_improve(harness):
    h = harness(replies=[FAST_FIB, FAST_FIB.replace("a, b = 0, 1", "a, b = 0, 1  # same")])
    candidates = list(
        create_technique("feedback", rounds=5, hotspots=0).optimize(h.ctx.problem, h.ctx)
    )
    assert len(candidates) == 2
    assert h.fake.calls == 2
    assert any("did not improve" in line for line in h.logs)


def test_feedback_prompt_carries_hot_lines(harness):
    h = harness(replies=[FAST_FIB, FAST_FIB + "\n"])
    list(
        create_technique("feedback", rounds=1, hotspots=3, trace_s=1.0).optimize(
            h.ctx.problem, h.ctx
        )
    )
    assert "hottest lines:" in h.prompts[1]
    assert "a, b = b, a + b" in h.prompts[1].split("hottest lines:")[1]


def test_feedback_stops_without_code(harness):
    h = harness(replies=["no idea"])
    assert list(create_technique("feedback", rounds=3).optimize(h.ctx.problem, h.ctx)) == []
    assert any(line.startswith("no_code:") for line in h.logs)


def test_search_keeps_the_best_and_records_lineage(harness):
    def reply(messages):
        text = messages[-1].content
        if "Parent A" in text:
            return OFF_BY_ONE_FIB.replace("range(n - 1)", "range(max(n - 1, 0))")
        if "generation" in text:
            return FAST_FIB.replace("a, b = 0, 1", f"a, b = 0, 1  # g{text.count('x')}")
        return WRONG_FIB

    h = harness(reply_fn=reply)
    technique = create_technique("evolve", generations=2, population=2, crossover_rate=0.5)
    candidates = list(technique.optimize(h.ctx.problem, h.ctx))
    by_id = {c.id: c for c in candidates}
    assert candidates == h.evaluated
    init = [c for c in candidates if c.round == 0]
    assert len(init) == 1  # two identical samples: the repeat is not evaluated again
    later = [c for c in candidates if c.round > 0]
    assert later
    for child in later:
        assert child.parent_id in by_id
        parents = child.extra["parents"]
        assert parents[0] == child.parent_id and all(p in by_id for p in parents)
        if child.extra["operator"] == "crossover":
            assert len(parents) == 2
    assert any(f.equivalent for f in h.feedbacks)
    assert any("best candidate" in line and "(1, 0.0)" in line for line in h.logs[-1:])


def test_search_mutation_prompt_shows_the_parent_and_its_evaluation(harness):
    h = harness(reply_fn=lambda m: WRONG_FIB if "generation" not in m[-1].content else FAST_FIB)
    list(create_technique("evolve", generations=1, population=1).optimize(h.ctx.problem, h.ctx))
    mutation = h.prompts[1]
    assert "generation 1" in mutation and "verdict: not_equivalent" in mutation
    assert "return n" in mutation
