"""PIE's performance-conditioned generation end to end: score-tagged data from stored runs,
``train sft --conditioned``, and ``perf_conditioned`` asking the trained model with the very
template it was trained on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from optbench.cli.train_cmd import train_group
from optbench.datasets import load_dataset
from optbench.store import open_store
from optbench.techniques.conditioning import conditioned_messages
from optbench.train.conditioned import build_conditioned_sft, check_conditioned
from optbench.train.data import Rules, read_jsonl, reference_attempts, run_attempts, write_jsonl

DATASET = "optbench-py"


def _attempts(filled_store):
    return run_attempts(filled_store.store, [filled_store.run_id, filled_store.second_run])


def test_targets_are_tagged_by_their_speedups_rank_among_equivalent_versions(
    filled_store,
) -> None:
    records, report = build_conditioned_sft(_attempts(filled_store))
    by_problem = {r["meta"]["problem"]: r for r in records}
    # edit-distance's only timed version is insignificant: no target
    assert set(by_problem) == {"optbench-py/pair-sum-count", "optbench-py/count-primes"}
    pair = by_problem["optbench-py/pair-sum-count"]
    # one program measured three times (3.0, 2.5, 2.8; comments and layout differ): median
    assert pair["meta"]["speedup"] == 2.8 and pair["meta"]["score"] == 10
    # the ranking holds the original (1.0), the slower version (0.5) and the fast one
    assert pair["meta"]["versions"] == 3
    problem = load_dataset(DATASET).get("pair-sum-count")
    assert pair["prompt"] == [m.to_dict() for m in conditioned_messages(problem, 10)]
    assert report.records == 2 and report.duplicates == 2


def test_a_lower_threshold_adds_targets_with_lower_tags(filled_store) -> None:
    records, _ = build_conditioned_sft(_attempts(filled_store), rules=Rules(min_speedup=1.0))
    primes = [r for r in records if r["meta"]["problem"] == "optbench-py/count-primes"]
    # versions 1.0 (original), 1.05, 2.0: percentiles 1/3, 2/3, 1 -> tags 4, 7, 10
    assert [(r["meta"]["speedup"], r["meta"]["score"]) for r in primes] == [(2.0, 10), (1.05, 7)]
    assert "<score>7/10</score>" in primes[1]["prompt"][-1]["content"]
    five, _ = build_conditioned_sft(_attempts(filled_store), rules=Rules(min_speedup=1.0), scale=5)
    assert {r["meta"]["score"] for r in five} <= {1, 2, 3, 4, 5}


def test_unmeasured_references_cannot_be_tagged() -> None:
    records, report = build_conditioned_sft(reference_attempts(DATASET))
    assert records == [] and report.unusable == report.attempts > 0


def test_untagged_records_are_refused(sft_records) -> None:
    with pytest.raises(ValueError, match="record 1 is not score-tagged"):
        check_conditioned(sft_records, "sft.jsonl")


def test_cli_conditioned_data_needs_runs_and_sft(filled_store, tmp_path: Path) -> None:
    runner = CliRunner()
    out = str(tmp_path / "c.jsonl")
    result = runner.invoke(
        train_group, ["data", "--references", "--dataset", DATASET, "--conditioned", "--out", out]
    )
    assert result.exit_code == 2 and "needs measured candidates" in result.output
    result = runner.invoke(
        train_group,
        [
            "data",
            "--from-runs",
            "1",
            "--db",
            filled_store.url,
            "--kind",
            "dpo",
            "--conditioned",
            "--out",
            out,
        ],
    )
    assert result.exit_code == 2 and "--kind sft" in result.output


@pytest.mark.slow
def test_conditioned_sft_then_perf_conditioned_asks_as_trained(
    filled_store, tiny_model: Path, sft_records, tmp_path: Path
) -> None:
    pytest.importorskip("pytorch_lightning")
    pytest.importorskip("peft")
    from optbench.cli import cli

    runner = CliRunner()
    data = tmp_path / "conditioned.jsonl"
    runs = f"{filled_store.run_id},{filled_store.second_run}"
    result = runner.invoke(
        train_group,
        [
            "data",
            "--from-runs",
            runs,
            "--db",
            filled_store.url,
            "--conditioned",
            "--out",
            str(data),
            "--exclude-problems",
            str(_held_out(tmp_path)),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["conditioned"] is True
    records = read_jsonl(data, "sft")
    top = next(r for r in records if r["meta"]["problem"] == "optbench-py/pair-sum-count")

    train_args = [
        "sft",
        "--base",
        str(tiny_model),
        "--out",
        str(tmp_path / "pc"),
        "--max-steps",
        "1",
        "--max-length",
        "128",
        "--batch-size",
        "2",
        "--accelerator",
        "cpu",
        "--conditioned",
    ]
    plain = tmp_path / "plain.jsonl"
    write_jsonl(sft_records, plain)
    refused = runner.invoke(train_group, [*train_args, "--data", str(plain)])
    assert refused.exit_code == 2 and "not score-tagged" in refused.output
    result = runner.invoke(train_group, [*train_args, "--data", str(data)])
    assert result.exit_code == 0, result.output
    info = json.loads((tmp_path / "pc" / "optbench_train.json").read_text())
    assert info["config"]["conditioned"] is True

    db = f"sqlite:///{tmp_path / 'eval.db'}"
    result = runner.invoke(
        cli,
        [
            "run",
            "--technique",
            "perf_conditioned(max_new_tokens=4)",
            "--model",
            f"hf:{tmp_path / 'pc'}",
            "--problems",
            "pair-sum-count",
            "--profile",
            "smoke",
            "--db",
            db,
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        (run,) = store.list_runs()
        (call,) = store.model_calls(run.id)
    # the technique sends the training record's prompt, with the top tag
    assert call.messages == top["prompt"]


def _held_out(tmp_path: Path) -> Path:
    """An evaluation set that is none of the stored problems (they are train problems here)."""
    path = tmp_path / "held_out.txt"
    path.write_text("bank-ledger-commands\n")
    return path
