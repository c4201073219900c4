from __future__ import annotations

from pathlib import Path

import pytest

from optbench.core import ProblemKind
from optbench.datasets import ProblemLoadError, load_dataset, load_problem, resolve_problem


def test_bundled_dataset_shape() -> None:
    dataset = load_dataset("optbench-py")
    assert dataset.skipped == []
    kinds = dataset.counts()["kinds"]
    assert len(dataset.problems) >= 60
    assert kinds["function"] >= 45 and kinds["program"] >= 15
    tags = set(dataset.counts()["tags"])
    for wanted in (
        "complexity",
        "data-structure",
        "builtins",
        "string-building",
        "memoization",
        "math",
        "io",
        "memory",
        "hard",
    ):
        assert wanted in tags, wanted
    assert len(dataset.content_hash) == 64


def test_every_bundled_problem_has_reference_and_inputs() -> None:
    for problem in load_dataset("optbench-py").problems:
        assert problem.fast_source, problem.id
        spec = problem.inputs()
        assert spec.strategy is not None, problem.id
        assert spec.edge_cases, problem.id
        if problem.kind is ProblemKind.FUNCTION:
            assert isinstance(problem.workload(), tuple), problem.id
        else:
            assert isinstance(problem.workload(), str), problem.id


def test_resolve_problem_by_name() -> None:
    problem = resolve_problem("optbench-py/pair-sum-count")
    assert problem.entry_point == "count_pairs"
    assert problem.key == "optbench-py/pair-sum-count"


def test_content_hash_changes_with_any_file(problem_copy) -> None:
    _root, folder = problem_copy()
    before = load_problem(folder, "scratch").content_hash
    (folder / "fast.py").write_text((folder / "fast.py").read_text() + "\n# tweak\n")
    assert load_problem(folder, "scratch").content_hash != before


@pytest.mark.parametrize(
    ("mutate", "file", "field"),
    [
        (lambda d: (d / "slow.py").unlink(), "slow.py", None),
        (lambda d: (d / "problem.toml").write_text("id = 'x\n"), "problem.toml", None),
        (
            lambda d: (d / "problem.toml").write_text(
                (d / "problem.toml").read_text().replace('kind = "function"', 'kind = "fn"')
            ),
            "problem.toml",
            "kind",
        ),
        (
            lambda d: (d / "problem.toml").write_text(
                (d / "problem.toml").read_text().replace("title = ", "name = ")
            ),
            "problem.toml",
            "title",
        ),
        (
            lambda d: (d / "inputs.py").write_text(
                "def strategy():\n    raise RuntimeError('boom')\n\ndef workload():\n    return ()\n"
            ),
            "inputs.py",
            "strategy",
        ),
        (
            lambda d: (d / "inputs.py").write_text(
                "def strategy():\n    return 3\n\ndef workload():\n    return ()\n"
            ),
            "inputs.py",
            "strategy",
        ),
        (
            lambda d: (d / "fast.py").write_text(
                "def something_else(nums, target):\n    return 0\n"
            ),
            "fast.py",
            "entry_point",
        ),
        (
            lambda d: (d / "fast.py").write_text("def count_pairs(nums):\n    return 0\n"),
            "fast.py",
            "entry_point",
        ),
        (
            lambda d: (d / "slow.py").write_text("def count_pairs(nums, target)\n    return 0\n"),
            "slow.py",
            None,
        ),
        (
            lambda d: (d / "inputs.py").write_text(
                "EDGE_CASES = [[1, 2]]\n\ndef workload():\n    return ()\n"
            ),
            "inputs.py",
            "EDGE_CASES",
        ),
    ],
    ids=[
        "missing-slow",
        "bad-toml",
        "bad-kind",
        "missing-title",
        "strategy-raises",
        "strategy-not-strategy",
        "entry-missing-fast",
        "signature-differs",
        "syntax-error",
        "edge-not-tuple",
    ],
)
def test_malformed_problem_names_file_and_field(
    problem_copy, mutate, file: str, field: str | None
) -> None:
    _root, folder = problem_copy()
    mutate(folder)
    with pytest.raises(ProblemLoadError) as info:
        load_problem(folder, "scratch")
    assert info.value.path.name == file
    assert info.value.field == field
    assert file in str(info.value)


def test_bad_problem_is_skipped_others_load(problem_copy) -> None:
    root, _ = problem_copy("pair-sum-count")
    _, broken = problem_copy("range-sum-queries")
    (broken / "problem.toml").write_text("this is not toml = = =")
    dataset = load_dataset(root)
    assert [p.id for p in dataset.problems] == ["pair-sum-count"]
    assert len(dataset.skipped) == 1
    assert "range-sum-queries" in str(dataset.skipped[0])


def test_unknown_dataset_lists_known() -> None:
    with pytest.raises(FileNotFoundError, match="optbench-py"):
        load_dataset("no-such-dataset")


def test_problem_pickles_and_reexecutes_inputs(problem_copy) -> None:
    import pickle

    _, folder = problem_copy()
    problem = load_problem(folder, "scratch")
    clone = pickle.loads(pickle.dumps(problem))
    assert clone.workload() == problem.workload()
    assert Path(clone.path or "").name == "pair-sum-count"
