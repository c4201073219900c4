"""Structures the input synthesis infers beyond counts and ranges: trees and graphs
(edges after ``n`` or ``n m``), lists whose ends are fixed, inputs at the edges of
their ranges, a reference that narrows ranges widened past a hidden constraint, and
other accepted solutions voting on what a disagreement means."""

from __future__ import annotations

import random

from optbench.core.problem import Problem, ProblemKind, ProgramTest
from optbench.datasets.synthesis.codegen import Options
from optbench.datasets.synthesis.disagreement import (
    ORIGINAL_ODD,
    OUTSIDE_CONSTRAINTS,
    REFERENCE_WRONG,
    classify,
    siblings_of,
)
from optbench.datasets.synthesis.draw import EdgeDraw, RandomDraw
from optbench.datasets.synthesis.grammar import Block, Graph
from optbench.datasets.synthesis.infer import infer_grammars
from optbench.datasets.synthesis.narrow import choose, compile_build, same_answer
from optbench.datasets.synthesis.original import Original
from optbench.datasets.synthesis.sampling import small_samples


def _build(given: list[str], level: str = "widened"):  # type: ignore[no-untyped-def]
    grammar = infer_grammars(given)[0]
    return grammar, compile_build(grammar, Options(level), given)


def _drawn(given: list[str], scale: float = 20.0) -> list[str]:
    """Small Hypothesis draws, edge draws and seeded draws at ``scale``."""
    _, build = _build(given)
    large = [build(RandomDraw(random.Random(seed)), scale) for seed in range(8)]
    edges = [build(EdgeDraw(random.Random(seed)), 1.0) for seed in range(8)]
    return small_samples(build, 8) + edges + large


def _rows(text: str) -> list[list[int]]:
    return [[int(t) for t in line.split()] for line in text.splitlines()]


def _graph(block_grammar: list) -> Graph | None:  # type: ignore[type-arg]
    blocks = [s for s in block_grammar if isinstance(s, Block)]
    return blocks[0].graph if blocks else None


def _connected(n: int, edges: list[tuple[int, int]]) -> bool:
    reached, todo = {1}, [1]
    neighbours: dict[int, list[int]] = {}
    for a, b in edges:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    while todo:
        for other in neighbours.get(todo.pop(), []):
            if other not in reached:
                reached.add(other)
                todo.append(other)
    return len(reached) == n


TREES = [
    "5\n1 2 3\n1 3 1\n2 4 7\n3 5 2\n",
    "7\n2 1 5\n3 1 1\n4 2 9\n5 3 2\n6 4 4\n7 5 1\n",
    "4\n4 1 3\n1 2 2\n3 1 6\n",
]


def test_edges_after_n_form_a_tree() -> None:
    grammar, _ = _build(TREES)
    graph = _graph(grammar)
    assert graph is not None and graph.tree and graph.base == 1
    drawn = _drawn(TREES)
    assert any(_rows(t)[0][0] > 7 for t in drawn)  # the tree grows with the scale
    for text in drawn:
        rows = _rows(text)
        n = rows[0][0]
        edges = [(row[0], row[1]) for row in rows[1:]]
        assert len(edges) == n - 1 and all(len(row) == 3 for row in rows[1:])
        assert all(1 <= v <= n for edge in edges for v in edge)
        assert len({frozenset(e) for e in edges}) == n - 1
        assert _connected(n, edges)


GRAPHS = [
    "4 5\n1 2\n2 3\n3 4\n4 1\n1 3\n",
    "5 4\n1 2\n2 3\n3 4\n4 5\n",
    "6 7\n1 2\n2 3\n3 1\n4 5\n5 6\n6 4\n3 4\n",
]


def test_edges_after_n_m_form_a_simple_connected_graph() -> None:
    grammar, _ = _build(GRAPHS)
    graph = _graph(grammar)
    assert graph is not None and graph.simple and graph.connected and not graph.tree
    for text in _drawn(GRAPHS):
        rows = _rows(text)
        n, m = rows[0]
        edges = [(a, b) for a, b in rows[1:]]
        assert len(edges) == m and min(n - 1, 1) <= m <= n * (n - 1) // 2
        assert all(a != b and 1 <= a <= n and 1 <= b <= n for a, b in edges)
        assert len({frozenset(e) for e in edges}) == m
        assert _connected(n, edges)


def test_edges_that_repeat_stay_plain_rows() -> None:
    """Given edges that repeat a pair and leave vertices apart show no graph rule."""
    given = ["4 3\n1 2\n1 2\n3 3\n", "5 2\n2 2\n4 4\n"]
    assert _graph(infer_grammars(given)[0]) is None


def test_lists_whose_ends_are_fixed_keep_them() -> None:
    given = ["5\n0 2 5 1 0\n", "6\n0 10 -7 -4 -13 0\n", "11\n0 -4 0 -99 31 14 -15 -39 43 18 0\n"]
    drawn = _drawn(given)
    assert any(len(_rows(t)[1]) > 11 for t in drawn)
    for text in drawn:
        values = _rows(text)[1]
        assert values[0] == 0 and values[-1] == 0
    assert any(v != 0 for text in drawn for v in _rows(text)[1][1:-1])
    # two short permutations sharing a first value is chance, not a rule
    loose = _drawn(["3\n1 3 2\n", "4\n1 2 4 3\n"])
    assert any(_rows(t)[1][0] != 1 for t in loose if _rows(t)[1])


def test_edge_draws_reach_the_ends_of_the_ranges() -> None:
    given = ["3\n30 10 20\n", "5\n11 99 13 11 12\n"]
    _, build = _build(given, level="given")
    drawn = [_rows(build(EdgeDraw(random.Random(seed)), 1.0)) for seed in range(40)]
    counts = [rows[0][0] for rows in drawn]
    values = [v for rows in drawn for v in rows[1]]
    assert min(counts) == 3 and counts.count(3) >= 10  # the least count, often
    assert 10 in values and 99 in values  # both ends of the values' range
    assert any(len(set(rows[1])) < len(rows[1]) for rows in drawn)  # ties
    assert all(10 <= v <= 99 for v in values)


def test_a_disagreeing_reference_narrows_widened_ranges() -> None:
    """Counts below the given ones (``n = 1``, ``2``) are accepted by the original, but a
    reference that assumes ``n >= 3`` answers otherwise there: the given ranges are kept."""
    given = ["3\n4 1 2\n", "4\n5 5 1 2\n", "5\n9 8 7 6 5\n"]
    original = "input()\nprint(max(map(int, input().split())))\n"
    reference = (
        "n = int(input())\na = sorted(map(int, input().split()))\n"
        "print(a[-1] if n >= 3 else a[0] - 1)\n"
    )
    with Original(original) as judge:
        alone, _ = choose(infer_grammars(given), judge, given)
        with Original(reference, name="reference") as second:
            narrowed, attempts = choose(infer_grammars(given), judge, given, second)
    assert alone is not None and alone.options.level == "widened"
    assert narrowed is not None and narrowed.options.level == "given"
    assert narrowed.disagreed == 0
    assert attempts[0].options.level == "widened" and attempts[0].disagreed > 0


def test_answers_compare_within_the_float_tolerance() -> None:
    assert same_answer("1.0\n", "1.0000000001")
    assert same_answer("3 abc\n", "3  abc")
    assert not same_answer("1.0", "1.01")
    assert not same_answer("abc", "abd")
    assert not same_answer("1 2", "1")


def _pair(index: int, slow: str, fast: str, given: tuple[str, ...]) -> Problem:
    return Problem(
        id=f"p1-{index}",
        dataset="pie",
        title="sum",
        kind=ProblemKind.PROGRAM,
        slow_source=slow,
        fast_source=fast,
        tests=tuple(ProgramTest(stdin=text) for text in given),
    )


ADD = "a, b = map(int, input().split())\nprint(a + b)\n"


def test_siblings_are_the_other_pairs_of_the_same_problem() -> None:
    given = ("1 2\n", "5 7\n")
    first = _pair(0, ADD, ADD.replace("a + b", "b + a"), given)
    second = _pair(
        1, ADD.replace("print", "x = 0\nprint"), ADD.replace("a + b", "sum((a, b))"), given
    )
    other = _pair(2, "print(1)\n", "print(1)\n", ("9\n",))
    found = siblings_of(first, [first, second, other])
    assert found == [second.slow_source, second.fast_source]


def test_other_accepted_solutions_vote_on_a_disagreement() -> None:
    """The reference is wrong where every other accepted solution gives the original's
    answer; the input breaks a constraint where one of them answers otherwise too."""
    wrong = ADD.replace("print(a + b)", "print(a + b if a != 3 else 0)")
    problem = _pair(0, ADD, wrong, ("1 2\n",))
    agreeing = [ADD.replace("a + b", "b + a"), ADD.replace("a + b", "sum((a, b))")]
    assert classify(problem, "3 4\n", agreeing).label == REFERENCE_WRONG
    differing = [*agreeing, ADD.replace("a + b", "a + b if a < 3 else -1")]
    found = classify(problem, "3 4\n", differing)
    assert found.label == OUTSIDE_CONSTRAINTS and "1 of 3" in found.explanation


def test_an_original_every_other_solution_contradicts_is_the_odd_one_out() -> None:
    """Every other accepted solution gives the reference's answer: the disagreement does
    not count against the reference. One lone sibling is not enough to say so."""
    odd = ADD.replace("print(a + b)", "print(a + b if a != 3 else 0)")
    problem = _pair(0, odd, ADD, ("1 2\n",))
    siblings = [ADD.replace("a + b", "b + a"), ADD.replace("a + b", "sum((a, b))")]
    found = classify(problem, "3 4\n", siblings)
    assert found.label == ORIGINAL_ODD and not found.counts
    assert "all 2 other" in found.explanation
    assert classify(problem, "3 4\n", siblings[:1]).label == OUTSIDE_CONSTRAINTS
