"""Relations between the numbers of an input (``M <= N^2``, ``K <= b_1 + ... + b_N``,
``Y + 2Z <= X``, gaps of a sorted list ``<= L``): adopted where the given tests all
satisfy one and the sampled inputs that break it are where two accepted solutions
disagree; never adopted from the given tests alone."""

from __future__ import annotations

import random
from dataclasses import replace

from optbench.datasets.synthesis.draw import RandomDraw
from optbench.datasets.synthesis.infer import infer_grammars
from optbench.datasets.synthesis.narrow import choose, compile_build, relate
from optbench.datasets.synthesis.original import Original
from optbench.datasets.synthesis.relations import (
    HELPERS,
    Relation,
    bind,
    candidates,
    max_gap,
    tail_probability,
)
from optbench.datasets.synthesis.synthesize import synthesize


def _related(given: list[str], original: str, reference: str) -> tuple[Relation, ...]:
    with Original(original) as judge, Original(reference, name="reference") as second:
        chosen, _ = choose(infer_grammars(given), judge, given, second)
        assert chosen is not None
        return relate(chosen, judge, given, second).options.relations


def _drawn(given: list[str], relations: tuple[Relation, ...], scale: float = 1.0) -> list[str]:
    with Original("print(0)") as judge:
        chosen, _ = choose(infer_grammars(given), judge, given)
    assert chosen is not None
    build = compile_build(chosen.grammar, replace(chosen.options, relations=relations), given)
    return [build(RandomDraw(random.Random(seed)), scale) for seed in range(60)]


PAIRS = ["5 3\n", "9 14\n", "9 73\n", "7 40\n"]
"""``N M`` with ``M <= N^2`` in every given test."""
SQUARE_ORIGINAL = "n, m = map(int, input().split())\nprint(min(m, n * n))\n"
SQUARE_REFERENCE = "n, m = map(int, input().split())\nprint(m)\n"


def test_a_product_bound_the_solutions_disagree_past_is_adopted() -> None:
    relations = _related(PAIRS, SQUARE_ORIGINAL, SQUARE_REFERENCE)
    assert [r.code() for r in relations] == ["m <= n * n"]
    drawn = _drawn(PAIRS, relations, scale=4.0)
    pairs = [tuple(map(int, text.split())) for text in drawn]
    assert all(m <= n * n for n, m in pairs)
    assert any(m == n * n for n, m in pairs)  # the repair reaches the bound itself


def test_a_relation_that_holds_by_chance_is_not_adopted() -> None:
    """The given tests satisfy ``M <= N^2`` (and more), but the solutions agree
    everywhere: nothing narrows the input."""
    assert _related(PAIRS, SQUARE_ORIGINAL, SQUARE_ORIGINAL) == ()


def test_a_sum_over_a_block_bounds_a_header_number() -> None:
    """``N K`` then ``N`` lines ``a b``: the K-th smallest of a multiset where ``b`` copies
    of ``a`` are inserted. Past the multiset's size the two solutions answer differently."""
    given = ["3 4\n1 1\n2 2\n3 3\n", "4 9\n5 3\n1 4\n2 2\n8 1\n", "2 3\n7 2\n1 1\n"]
    original = (
        "n, k = map(int, input().split())\n"
        "items = sorted(tuple(map(int, input().split())) for _ in range(n))\n"
        "for a, b in items:\n    k -= b\n    if k <= 0:\n        print(a)\n        break\n"
        "else:\n    print(items[-1][0])\n"
    )
    reference = (
        "n, k = map(int, input().split())\n"
        "items = sorted(tuple(map(int, input().split())) for _ in range(n))\n"
        "for a, b in items:\n    k -= b\n    if k <= 0:\n        print(a)\n        break\n"
        "else:\n    print(-1)\n"
    )
    relations = _related(given, original, reference)
    assert [r.code() for r in relations] == ["m <= sum(seen_a)"]
    for text in _drawn(given, relations, scale=3.0):
        rows = [list(map(int, line.split())) for line in text.splitlines()]
        (n, k), body = rows[0], rows[1:]
        assert len(body) == n and k <= sum(b for _, b in body)


def test_a_linear_bound() -> None:
    """``X Y Z`` with ``Y + 2Z <= X``: people of width ``Y`` on a bench of length ``X``
    with a gap ``Z`` at each end and between them."""
    given = ["13 3 1\n", "100 1 1\n", "64145 123 456\n", "12 3 1\n"]
    original = "x, y, z = map(int, input().split())\nprint(max(1, (x - z) // (y + z)))\n"
    reference = "x, y, z = map(int, input().split())\nprint((x - z) // (y + z))\n"
    relations = _related(given, original, reference)
    assert [r.code() for r in relations] == ["n >= m + 2 * k"]
    for text in _drawn(given, relations, scale=1.0):
        x, y, z = map(int, text.split())
        assert y + 2 * z <= x


def test_inputs_are_read_against_the_grammar() -> None:
    given = ["3 5\n1 4 6\n2 7\n1 1\n3 2\n"]
    grammar = infer_grammars(["3 5\n1 4 6\n2 7\n1 1\n3 2\n", "2 1\n3 9\n5 5\n6 6\n"])[0]
    env = bind(grammar, given[0])
    assert env is not None
    ints = {k: v for k, v in env.items() if isinstance(v, int)}
    assert sorted(ints.values()) == [3, 5]
    lists = [v for k, v in env.items() if k.startswith("values_")]
    assert lists == [[1, 4, 6]]
    columns = sorted(v for k, v in env.items() if k.startswith("seen_"))
    assert columns == [[1, 1, 3], [2, 7, 2]] or columns == [[2, 1, 3], [7, 1, 2]]
    assert bind(grammar, "3 5\n1 4\n") is None  # a list one short of its count


def test_the_evidence_test_and_the_gap() -> None:
    # every one of 5 troubles among 8 violations of 100 samples: far from chance
    assert tail_probability(100, 5, 8, 5) < 1e-4
    # troubles spread as the violations are: no evidence
    assert tail_probability(100, 10, 50, 5) > 0.3
    assert max_gap([1, 3, 6, 13, 15]) == 7 and max_gap([4]) == 0


def test_written_inputs_state_the_relation() -> None:
    found = synthesize(PAIRS, SQUARE_ORIGINAL, reference_source=SQUARE_REFERENCE)
    assert found.inputs is not None
    assert "# relations between numbers" in found.inputs
    assert any("relations between numbers" in note for note in found.notes)


def test_relations_on_an_empty_list_still_evaluate() -> None:
    """Aggregates of a list that may be drawn empty never raise in ``build``."""
    grammar = infer_grammars(["3\n1 4 6\n5\n", "0\n\n2\n", "2\n7 9\n9\n"])[0]
    env = bind(grammar, "0\n\n2\n")
    assert env is not None and any(name.startswith("values_") for name in env)
    on_lists = [r for r in candidates(grammar) if "values_" in r.expr]
    assert on_lists
    for relation in on_lists:
        eval(relation.code(), dict(HELPERS), env)  # raises on max([]) without a default
