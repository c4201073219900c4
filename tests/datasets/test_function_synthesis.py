"""Input synthesis for imported function problems: argument shapes inferred from
example calls, the written build drawing values of the same types, and the original
(sandboxed) as the judge of what is inside its domain and of the workload's size."""

from __future__ import annotations

import json
import math
import random
import string
from pathlib import Path

import pytest

from optbench.core.verdict import VerdictStatus
from optbench.datasets import load_dataset
from optbench.datasets.importers import import_generic, synthesize_inputs, write_problems
from optbench.datasets.synthesis.arguments import ArgOptions, function_inputs_module
from optbench.datasets.synthesis.draw import RandomDraw
from optbench.datasets.synthesis.functions import (
    compile_function_build,
    synthesize_function,
    weight,
)
from optbench.datasets.synthesis.provenance import checked_by
from optbench.datasets.synthesis.sampling import small_samples
from optbench.datasets.synthesis.values import (
    DictShape,
    IntShape,
    OneOf,
    SeqShape,
    StrShape,
    TupleShape,
    Unsupported,
    infer_arguments,
)
from optbench.verify import VerifyConfig, verify

SLOW = (
    "def count_pairs(xs, k):\n"
    "    count = 0\n"
    "    for i in range(len(xs)):\n"
    "        for j in range(i + 1, len(xs)):\n"
    "            if xs[i] + xs[j] == k:\n"
    "                count += 1\n"
    "    return count\n"
)
FAST = (
    "from collections import Counter\n\n\n"
    "def count_pairs(xs, k):\n"
    "    seen = Counter()\n"
    "    count = 0\n"
    "    for x in xs:\n"
    "        count += seen[k - x]\n"
    "        seen[x] += 1\n"
    "    return count\n"
)
MUTANT = SLOW.replace("range(i + 1, len(xs))", "range(i + 1, min(len(xs), 5))")
"""Wrong on lists longer than five, which no given call has."""
GIVEN = [([1, 2, 3, 4], 5), ([], 3), ([5, 5], 10), ([0, 7, 7], 7)]


def _values(shapes: list, level: str = "widened", count: int = 40) -> list[tuple]:
    build = compile_function_build(shapes, [f"a{i}" for i in range(len(shapes))], ArgOptions(level))
    return small_samples(build, count // 2)


def test_shapes_keep_types_nesting_and_ranges() -> None:
    shapes = infer_arguments(
        [
            ([1, 5], "ab", {"x": (1, 2.5)}, (3, "q"), None),
            ([-2], "ba", {}, (4, "r"), 7),
        ]
    )
    items, text, table, pair, optional = shapes
    assert items == SeqShape("list", IntShape(-2, 5), 1, 2, None)
    assert isinstance(text, StrShape) and text.given == "ab" and text.max_len == 2
    assert isinstance(table, DictShape) and table.min_len == 0 and table.max_len == 1
    assert isinstance(pair, TupleShape) and pair.items[0] == IntShape(3, 4)
    assert isinstance(optional, OneOf) and len(optional.options) == 2
    with pytest.raises(Unsupported, match="different numbers of arguments"):
        infer_arguments([(1,), (1, 2)])
    with pytest.raises(Unsupported, match="object"):
        infer_arguments([(object(),)])


def test_widened_inputs_have_the_same_types_and_reach_past_the_examples() -> None:
    shapes = infer_arguments([([3, 1, 2], "abc", {1: "x"}), ([9], "b", {})])
    drawn = _values(shapes)
    assert all(
        isinstance(xs, list)
        and all(type(x) is int for x in xs)
        and isinstance(s, str)
        and set(s) <= set(string.ascii_lowercase)
        and isinstance(d, dict)
        and all(type(k) is int and type(v) is str for k, v in d.items())
        for xs, s, d in drawn
    )
    lengths = {len(xs) for xs, _, _ in drawn}
    assert 0 in lengths and max(lengths) > 3  # from empty to beyond the examples
    assert (
        min(x for xs, _, _ in drawn for x in xs) < 1 or max(x for xs, _, _ in drawn for x in xs) > 9
    )


def test_given_level_keeps_a_shared_length_and_sorted_lists_stay_sorted() -> None:
    shapes = infer_arguments([((1, 2, 3, 4, 5, 6),), ((0, 2, 2, 7, 8, 9),)])
    assert isinstance(shapes[0], TupleShape)
    for (values,) in _values(shapes, "given"):
        assert len(values) == 6
    sorted_shapes = infer_arguments([([1, 2, 3, 5, 8],), ([],)])
    build = compile_function_build(sorted_shapes, ["xs"], ArgOptions())
    for seed in range(5):
        (xs,) = build(RandomDraw(random.Random(seed)), 50.0)
        assert xs == sorted(xs)


def test_numbers_grow_where_nothing_has_a_length() -> None:
    shapes = infer_arguments([(10,), (25,)])
    build = compile_function_build(shapes, ["n"], ArgOptions("widened", magnitudes=True))
    assert max(build(RandomDraw(random.Random(s), top=True), 1000.0)[0] for s in range(5)) > 1000
    assert weight(([1, 2], "abc", {1: 2})) == 1 + 3 + 1 + 3
    assert weight(([0.5, 1.5],)) == 1 + 1 + 2 * 5


@pytest.mark.slow
def test_synthesized_function_inputs_kill_a_mutant_the_given_calls_let_through(
    tmp_path: Path,
) -> None:
    jsonl = tmp_path / "generic.jsonl"

    record = {
        "id": "count-pairs",
        "slow_code": SLOW,
        "fast_code": FAST,
        "entry_point": "count_pairs",
        "tests": [{"args": list(args)} for args in GIVEN],
    }
    jsonl.write_text(json.dumps(record) + "\n")
    problems, errors = import_generic(jsonl)
    assert not errors
    plain = load_dataset(write_problems(problems, tmp_path / "plain", "plain")).get("count-pairs")
    assert verify(plain, MUTANT, VerifyConfig(max_examples=50)).status is VerdictStatus.EQUIVALENT

    synthesize_inputs(problems, workers=1)
    problem = load_dataset(write_problems(problems, tmp_path / "synth", "synth")).get("count-pairs")
    assert problem.has_strategy and problem.workload_varies
    assert "synthesized strategy from 4 given test(s)" in checked_by(problem)
    assert "def build(d: Draw, scale: float) -> tuple:" in (problem.inputs_source or "")
    assert "xs = " in (problem.inputs_source or "")  # named after the parameters
    workload = problem.workload(seed=1)
    assert len(workload[0]) > 100 and problem.workload(seed=2) != workload
    assert any(n.startswith("workload at scale") and "target time" in n for n in problem.notes)
    verdict = verify(problem, MUTANT, VerifyConfig(max_examples=50))
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.message
    assert verify(problem, FAST, VerifyConfig(max_examples=50)).ok


@pytest.mark.slow
def test_inputs_the_original_rejects_are_discarded_and_counted() -> None:
    fussy = SLOW.replace(
        "    count = 0\n", "    if k <= 0:\n        raise ValueError(k)\n    count = 0\n", 1
    )
    result = synthesize_function(GIVEN, fussy, "count_pairs", params=("xs", "k"))
    assert result.inputs is not None
    assert result.discarded > 0
    assert "ValueError" in result.notes[1] and "discarded" in result.notes[1]

    picky = f"def count_pairs(xs, k):\n    assert (xs, k) in {GIVEN!r}\n    return 0\n"
    fallback = synthesize_function(GIVEN, picky, "count_pairs", params=("xs", "k"))
    assert fallback.inputs is None and fallback.discarded > 0
    assert fallback.notes[0].startswith("given tests only: the original rejects most")


def test_written_inputs_load_given_infinities_and_draw_finite_floats() -> None:
    given = [(float("inf"), [1.5, float("nan")]), (2.0, [])]
    shapes = infer_arguments(given)
    source = function_inputs_module(
        shapes, ["x", "xs"], ArgOptions(), given=given, workload_scale=4.0, provenance=[]
    )
    namespace: dict = {}
    exec(compile(source, "inputs.py", "exec"), namespace)
    assert namespace["EDGE_CASES"][0][0] == float("inf")
    drawn = small_samples(namespace["build"], 10) + [namespace["workload"](seed) for seed in (1, 2)]
    assert all(
        isinstance(x, float) and math.isfinite(x) and all(math.isfinite(v) for v in xs)
        for x, xs in drawn
    )
