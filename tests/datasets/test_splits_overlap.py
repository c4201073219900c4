"""Dataset splits and the overlap guard that keeps retrieval pools and training data clear
of the evaluated problems."""

from __future__ import annotations

import builtins
import dataclasses
import io
import json
import keyword
import re
import tokenize
from pathlib import Path

import pytest
from click.testing import CliRunner

from optbench.cli import cli
from optbench.core import ProblemKind
from optbench.datasets import (
    ProblemLoadError,
    load_dataset,
    load_split,
    parse_dataset_spec,
)
from optbench.datasets.importers import import_generic, write_problems
from optbench.datasets.overlap import (
    NEAR_DUPLICATE,
    OverlapGuard,
    guard_pool,
    similarity,
)

FAMILIES = [
    ("running-median", "stream-median-print"),
    ("word-frequency-report", "word-count-ranking", "top-k-frequent", "key-average-report"),
    ("coin-change-queries", "coin-change-ways"),
    ("count-primes", "prime-count-queries"),
    ("grid-min-path-queries", "grid-paths-obstacles"),
    ("leaderboard-sort", "multi-key-sort", "exam-score-ranking"),
    ("inversion-count", "count-smaller-after", "pair-sum-count"),
    ("count-in-range", "hit-counter-window"),
    ("merge-intervals", "interval-overlap-count", "max-disjoint-intervals"),
    ("running-average-inplace", "moving-average-window", "range-sum-queries"),
    ("next-greater-element", "sliding-window-max"),
    ("bfs-edge-distances", "grid-open-regions"),
    ("edit-distance", "longest-common-subsequence"),
]
"""Problems that share an algorithm: each family must sit on one side of the split."""


def renamed(source: str, prefix: str = "renamed_") -> str:
    """``source`` with every local name (not a keyword, builtin or attribute) renamed."""
    out: list[tuple[int, str]] = []
    previous = ""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        text = token.string
        if (
            token.type == tokenize.NAME
            and not keyword.iskeyword(text)
            and text not in dir(builtins)
            and previous != "."
        ):
            text = prefix + text
        out.append((token.type, text))
        previous = token.string
    return tokenize.untokenize(out)


@pytest.fixture(scope="module")
def bundled():
    return load_dataset("optbench-py")


# -- the guard ---------------------------------------------------------------------------


def test_guard_drops_a_copy_a_renamed_copy_and_the_same_id_and_keeps_the_unrelated(bundled):
    median = bundled.get("running-median")
    guard = OverlapGuard()
    guard.add_problems([median])
    copy = dataclasses.replace(
        median,
        id="prefix-medians",
        dataset="elsewhere",
        slow_source="# mine\n" + median.slow_source,
    )
    renamed_copy = dataclasses.replace(
        median,
        id="medians-again",
        dataset="elsewhere",
        slow_source=renamed(median.slow_source),
        fast_source=renamed(median.fast_source or ""),
    )
    assert renamed_copy.slow_source != median.slow_source
    compile(renamed_copy.slow_source, "renamed", "exec")
    same_id = dataclasses.replace(bundled.get("fib-recursive"), id="running-median")
    unrelated = bundled.get("fib-recursive")

    pool = guard_pool([copy, renamed_copy, same_id, unrelated], guard)

    assert [p.id for p in pool.kept] == ["fib-recursive"]
    assert pool.dropped == {
        "copy": ["prefix-medians"],
        "near-duplicate": ["medians-again"],
        "id": ["running-median"],
    }
    found = guard.overlap(renamed_copy)
    assert found is not None and found.score == 1.0 and found.evaluated == "running-median"
    assert similarity(median.slow_source, renamed_copy.slow_source) == 1.0
    assert similarity(median.slow_source, unrelated.slow_source) < NEAR_DUPLICATE


def test_a_lightly_edited_renamed_copy_is_still_a_near_duplicate(bundled):
    problem = bundled.get("count-in-range")
    lines = renamed(problem.slow_source).replace("+=1", "=renamed_count +1", 1).splitlines()
    lines.insert(1, "    flag = False")
    edited = "\n".join(lines) + "\n"
    compile(edited, "edited", "exec")
    score = similarity(problem.slow_source, edited)
    assert NEAR_DUPLICATE <= score < 1.0


def test_guard_compares_fast_sources_too(bundled):
    """A pool problem whose fast version copies an evaluated one's is dropped, whatever its
    slow version looks like."""
    evaluated = bundled.get("pair-sum-count")
    guard = OverlapGuard()
    guard.add_problems([evaluated])
    other = dataclasses.replace(
        bundled.get("fib-recursive"), id="x", fast_source=renamed(evaluated.fast_source or "")
    )
    found = guard.overlap(other)
    assert found is not None and found.reason == "near-duplicate"


def test_similarity_survives_code_that_does_not_parse():
    assert similarity("def f(:\n  return [", "def g(:\n  return [") == 1.0
    assert similarity("", "") == 1.0


# -- the bundled splits -----------------------------------------------------------------


def test_bundled_splits_have_no_near_duplicate_across_train_and_eval(bundled):
    train, evaluated = bundled.split("train"), bundled.split("eval")
    assert len(train) + len(evaluated) == len(bundled.problems)
    assert 0.28 <= len(train) / len(bundled.problems) <= 0.4
    for part in (train, evaluated):
        assert {p.kind for p in part} == {ProblemKind.FUNCTION, ProblemKind.PROGRAM}
    guard = OverlapGuard()
    guard.add_problems(evaluated)
    assert guard_pool(train, guard).dropped == {}
    closest = max(guard.closest(p.slow_source, p.fast_source).score for p in train)  # type: ignore[union-attr]
    assert closest < NEAR_DUPLICATE


def test_bundled_near_duplicate_pairs_sit_on_one_side(bundled):
    """Every pair of bundled problems at or above the threshold, and every family of
    problems sharing an algorithm, is on one side of the split."""
    problems = bundled.problems
    for i, a in enumerate(problems):
        for b in problems[i + 1 :]:
            score = max(
                similarity(a.slow_source, b.slow_source),
                similarity(a.fast_source or "", b.fast_source or ""),
            )
            if score >= NEAR_DUPLICATE:
                assert bundled.split_of(a.id) == bundled.split_of(b.id), (a.id, b.id, score)
    for family in FAMILIES:
        assert len({bundled.split_of(pid) for pid in family}) == 1, family


# -- the [splits] table -----------------------------------------------------------------


def _with_splits(problem_copy, table: str) -> Path:
    root, _ = problem_copy("pair-sum-count")
    problem_copy("fib-recursive")
    toml = root / "dataset.toml"
    toml.write_text(toml.read_text() + table)
    return root


def test_splits_table_is_read_and_unlisted_problems_are_eval(problem_copy):
    root = _with_splits(problem_copy, '\n[splits]\ntrain = ["fib-recursive"]\n')
    dataset = load_dataset(root)
    assert dataset.has_splits
    assert [p.id for p in dataset.split("train")] == ["fib-recursive"]
    assert [p.id for p in dataset.split("eval")] == ["pair-sum-count"]
    assert len(dataset.split("all")) == 2
    assert dataset.split_counts() == {"train": 1, "eval": 1}


@pytest.mark.parametrize(
    ("table", "field", "message"),
    [
        ('train = ["nope"]', "splits.train", "no such problem(s): nope"),
        ('dev = ["fib-recursive"]', "splits.dev", "unknown split 'dev'"),
        ('train = "fib-recursive"', "splits.train", "must be a list of problem ids"),
        (
            'train = ["fib-recursive"]\neval = ["fib-recursive"]',
            "splits.eval",
            "in two splits",
        ),
    ],
)
def test_bad_splits_table_names_the_file_and_field(problem_copy, table, field, message):
    root = _with_splits(problem_copy, f"\n[splits]\n{table}\n")
    with pytest.raises(ProblemLoadError) as info:
        load_dataset(root)
    assert info.value.path == root / "dataset.toml"
    assert info.value.field == field and message in info.value.message


def test_a_dataset_without_splits_is_all_eval(problem_copy):
    root, _ = problem_copy("pair-sum-count")
    dataset = load_dataset(root)
    assert not dataset.has_splits and dataset.split("eval") == dataset.problems
    with pytest.raises(ValueError, match="has no train split"):
        load_split(f"{root}:train")


def test_dataset_specs():
    assert parse_dataset_spec("optbench-py") == ("optbench-py", "all")
    assert parse_dataset_spec("optbench-py:train") == ("optbench-py", "train")
    with pytest.raises(ValueError, match="unknown split 'test'"):
        parse_dataset_spec("optbench-py:test")
    with pytest.raises(ValueError, match="expected DATASET"):
        parse_dataset_spec(":train")


def test_generic_import_writes_the_train_split(tmp_path: Path):
    jsonl = tmp_path / "pairs.jsonl"
    records = [
        {"id": "a", "slow_code": "print(1)\n", "tests": [{"input": ""}], "split": "train"},
        {"id": "b", "slow_code": "print(2)\n", "tests": [{"input": ""}]},
        {"id": "c", "slow_code": "print(3)\n", "tests": [{"input": ""}], "split": "dev"},
    ]
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    problems, errors = import_generic(jsonl)
    assert len(errors) == 1 and errors[0].field == "split"
    write_problems(problems, tmp_path / "imported", "imported")
    dataset = load_dataset(tmp_path / "imported")
    assert {p.id: dataset.split_of(p.id) for p in dataset.problems} == {"a": "train", "b": "eval"}
    write_problems(problems, tmp_path / "all-train", "all-train", split="train")
    assert [p.id for p in load_dataset(tmp_path / "all-train").split("train")] == ["a", "b"]


def test_datasets_list_and_show_name_the_split() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["datasets", "list", "--json"])
    assert result.exit_code == 0, result.output
    row = next(r for r in json.loads(result.output) if r["name"] == "optbench-py")
    assert row["splits"] == {"train": 21, "eval": 41} and row["declares_splits"]
    for pid, split in (("running-median", "train"), ("pair-sum-count", "eval")):
        result = runner.invoke(cli, ["datasets", "show", f"optbench-py/{pid}"])
        assert result.exit_code == 0, result.output
        assert re.search(rf"split\s+{split}\b", result.output), result.output[:400]
