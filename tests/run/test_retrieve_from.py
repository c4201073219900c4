"""``optbench run --split`` and ``--retrieve-from``: what is evaluated, and where few_shot
and rag take their examples from, guarded against the evaluated problems."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from optbench.cli import cli
from optbench.datasets import load_dataset
from optbench.store import open_store


def _run(db: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["run", *args, "--db", f"sqlite:///{db}"])


def _no_runs(db: Path) -> bool:
    if not db.exists():
        return True
    with open_store(f"sqlite:///{db}") as store:
        return store.list_runs() == []


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("optbench-py:test", "unknown split 'test'"),
        ("no-such-dataset", "no dataset named 'no-such-dataset'"),
        (":train", "expected DATASET[:SPLIT]"),
    ],
)
def test_a_bad_retrieve_from_is_one_line_and_exit_status_2(tmp_path: Path, value, said) -> None:
    db = tmp_path / "bad.db"
    result = _run(db, "--technique", "few_shot", "--model", "fake:", "--retrieve-from", value)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error:") and "retrieve_from" in lines[0] and said in lines[0]
    assert _no_runs(db)


def test_a_retrieval_technique_without_a_pool_is_refused(
    tmp_path: Path, problem_copy: Callable[..., tuple[Path, Path]]
) -> None:
    """A dataset that declares no splits has no train split to retrieve from by default."""
    dataset, _ = problem_copy("pair-sum-count")
    db = tmp_path / "nopool.db"
    result = _run(db, "--dataset", str(dataset), "--technique", "identity,rag", "--model", "fake:")
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "rag show examples from a retrieval pool, but there is none" in line
    assert "has no train split" in line and "--retrieve-from" in line
    result = _run(
        db, "--dataset", str(dataset), "--technique", "rag", "--model", "fake:",
        "--retrieve-from", f"{dataset}:train",
    )  # fmt: skip
    assert result.exit_code == 2 and "has no train split" in result.output
    assert _no_runs(db)


def test_split_selects_the_evaluated_problems(tmp_path: Path) -> None:
    db = tmp_path / "split.db"
    result = _run(db, "--technique", "identity", "--split", "train", "--problems", "pair-sum-count")
    assert result.exit_code == 2
    assert "not in split 'train'" in result.output and "pair-sum-count" in result.output
    result = _run(db, "--technique", "identity", "--split", "dev")
    assert result.exit_code == 2 and "--split" in result.output
    assert _no_runs(db)


@pytest.mark.slow
def test_retrieve_from_runs_records_the_guarded_pool_and_prompts_hide_the_evaluated(
    tmp_path: Path,
) -> None:
    """Two runs on two eval problems with few_shot and rag and a model that answers
    without code: one retrieving from the eval split itself, one from the default pool.
    The run config records the pool and what was dropped; no prompt shows an evaluated
    problem's reference or a near-duplicate's, and the default pool shows no eval problem."""
    bundled = load_dataset("optbench-py")
    replies = tmp_path / "replies.json"
    replies.write_text(json.dumps(["no code in this reply"] * 20))
    db = tmp_path / "runs.db"
    common = [
        "--technique", "few_shot(k=40),rag(k=4)", "--model", f"fake:{replies}",
        "--problems", "count-in-range,inversion-count", "--profile", "smoke",
    ]  # fmt: skip
    first = _run(db, *common, "--retrieve-from", "optbench-py:eval")
    assert first.exit_code == 0, first.output
    assert "retrieval pool optbench-py:eval" in " ".join(first.output.split())
    second = _run(db, *common)
    assert second.exit_code == 0, second.output

    near = {"hit-counter-window", "count-smaller-after", "pair-sum-count"}
    evaluated = {"count-in-range", "inversion-count"}
    with open_store(f"sqlite:///{db}") as store:
        runs = sorted(store.list_runs(), key=lambda r: r.id)
        assert len(runs) == 2
        own, default = (r.config for r in runs)
        assert own["run"]["retrieve_from"] == "optbench-py:eval"
        assert own["run"]["split"] == "all"
        assert own["retrieval"]["dropped"]["id"] == 2
        assert near <= set(own["retrieval"]["dropped_ids"]["near-duplicate"])
        assert own["retrieval"]["dropped"]["near-duplicate"] >= 3
        assert not (evaluated | near) & set(own["retrieval"]["kept"])
        assert default["run"]["retrieve_from"] == "optbench-py:train"
        assert default["retrieval"]["dropped"] == {}
        assert set(default["retrieval"]["kept"]) == {p.id for p in bundled.split("train")}

        hidden = [bundled.get(pid) for pid in sorted(evaluated | near)]
        for run, forbidden in ((runs[0], hidden), (runs[1], bundled.split("eval"))):
            calls = store.model_calls(run.id)
            assert len(calls) == 4
            for call in calls:
                text = "\n".join(m["content"] for m in call.messages)
                assert "Slow version:" in text
                for problem in forbidden:
                    assert (problem.fast_source or "").strip() not in text, (run.id, problem.id)
