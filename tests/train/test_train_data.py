"""Training records from stored runs, references and JSONL pairs (no torch needed)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from optbench.cli.train_cmd import train_group
from optbench.datasets import load_dataset
from optbench.train.data import (
    Rules,
    build_dpo,
    build_sft,
    jsonl_attempts,
    prompt_messages,
    read_jsonl,
    reference_attempts,
    run_attempts,
)
from optbench.train.guard import EvalGuard, code_hash


def test_normalised_hash_ignores_comments_layout_and_docstrings() -> None:
    a = "def f(x):\n    return x+1\n"
    b = '# fast\ndef f( x ):\n    """Add one."""\n\n    return x + 1  # done\n'
    assert code_hash(a) == code_hash(b)
    assert code_hash(a) != code_hash("def f(x):\n    return x + 2\n")
    assert code_hash("def (:") == code_hash("def  (:")


def test_prompt_is_the_zero_shot_chat() -> None:
    problem = load_dataset("optbench-py").get("pair-sum-count")
    messages = prompt_messages(problem)
    assert [m["role"] for m in messages] == ["system", "user"]
    assert problem.slow_source.strip() in messages[1]["content"]
    assert "as fast as possible" in messages[1]["content"]


def test_sft_from_runs_keeps_significant_equivalent_speedups_once(filled_store) -> None:
    attempts = run_attempts(filled_store.store, [filled_store.run_id, filled_store.second_run])
    records, report = build_sft(attempts)
    by_problem: dict[str, list[str]] = {}
    for r in records:
        by_problem.setdefault(r["meta"]["problem"], []).append(r["meta"]["source"])
    # pair-sum-count: the fast code once (the best measurement), its copies dropped;
    # count-primes: the 2.0x candidate; edit-distance: nothing significant.
    assert sorted(by_problem) == ["optbench-py/count-primes", "optbench-py/pair-sum-count"]
    assert len(by_problem["optbench-py/pair-sum-count"]) == 1
    assert by_problem["optbench-py/pair-sum-count"][0].endswith("candidate:1")
    assert report.duplicates == 2
    rec = next(r for r in records if r["meta"]["problem"].endswith("pair-sum-count"))
    assert rec["completion"][0]["role"] == "assistant"
    assert rec["completion"][0]["content"].startswith("```python\n")
    assert rec["meta"]["speedup"] == 3.0


def test_insignificant_speedups_count_when_allowed(filled_store) -> None:
    attempts = run_attempts(filled_store.store, [filled_store.run_id])
    records, _ = build_sft(attempts, rules=Rules(require_significant=False))
    assert any(r["meta"]["problem"].endswith("edit-distance") for r in records)


def test_dpo_pairs_share_the_prompt_and_prefer_fast_equivalent_code(filled_store) -> None:
    store = filled_store.store
    attempts = run_attempts(store, [filled_store.run_id, filled_store.second_run])
    records, report = build_dpo(attempts)
    assert report.problems == {"optbench-py/pair-sum-count", "optbench-py/count-primes"}
    psc = [r for r in records if r["meta"]["problem"].endswith("pair-sum-count")]
    # one chosen (duplicates merged) x two rejected (wrong, slower)
    assert len(psc) == 2
    assert {r["meta"]["rejected_status"] for r in psc} == {"not_equivalent", "equivalent"}
    for r in records:
        assert r["chosen"] != r["rejected"]
        assert r["meta"]["chosen_speedup"] >= 1.1
    cp = [r for r in records if r["meta"]["problem"].endswith("count-primes")]
    assert [r["meta"]["rejected_status"] for r in cp] == ["error"]


def test_dpo_pair_cap_per_problem(filled_store) -> None:
    attempts = run_attempts(filled_store.store, [filled_store.run_id])
    records, _ = build_dpo(attempts, rules=Rules(max_per_problem=1))
    assert len(records) == 2


def test_eval_guard_by_id_and_by_slow_source_hash(filled_store, tmp_path: Path) -> None:
    attempts = run_attempts(filled_store.store, [filled_store.run_id])
    by_id = EvalGuard()
    by_id.add("count-primes", None)
    records, report = build_sft(attempts, guard=by_id)
    assert {r["meta"]["problem"] for r in records} == {"optbench-py/pair-sum-count"}
    assert report.excluded_problems == {"optbench-py/count-primes"}
    assert report.excluded == 3

    slow = load_dataset("optbench-py").get("pair-sum-count").slow_source
    split = tmp_path / "split.jsonl"
    split.write_text(json.dumps({"id": "renamed", "slow_code": "# copy\n" + slow}) + "\n")
    by_hash = EvalGuard()
    by_hash.add_file(split)
    records, report = build_sft(attempts, guard=by_hash)
    assert {r["meta"]["problem"] for r in records} == {"optbench-py/count-primes"}

    whole = EvalGuard()
    whole.add_dataset("optbench-py")
    records, report = build_sft(attempts, guard=whole)
    assert records == [] and report.excluded == report.attempts


def test_references_and_jsonl_pairs(tmp_path: Path) -> None:
    refs = reference_attempts("optbench-py")
    assert len(refs) >= 10 and all(a.trusted for a in refs)
    pairs = tmp_path / "pairs.jsonl"
    rows = [
        {
            "id": "sq",
            "slow_code": "def sq(n):\n    return sum([n] * n)\n",
            "fast_code": "def sq(n):\n    return n * n\n",
            "entry_point": "sq",
        },
        {
            "problem_id": "p00001",
            "input": "print(sum(range(int(input())+1)))\n",
            "target": "n=int(input())\nprint(n*(n+1)//2)\n",
        },
        {
            "id": "sq-again",
            "slow_code": "def sq(n):\n    return sum([n] * n)\n",
            "fast_code": "def sq(n):\n    return n*n\n",
            "entry_point": "sq",
        },
    ]
    pairs.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    records, report = build_sft(jsonl_attempts(pairs))
    assert len(records) == 2 and report.duplicates == 1
    assert (
        "program" in records[1]["prompt"][1]["content"]
        or "stdin" in records[1]["prompt"][1]["content"]
    )


def test_cli_exports_records_and_reports_exclusions(filled_store, tmp_path: Path) -> None:
    out = tmp_path / "dpo.jsonl"
    split = tmp_path / "eval.txt"
    split.write_text("# held out\ncount-primes\n")
    runner = CliRunner()
    args = ["data", "--from-runs", f"{filled_store.run_id},{filled_store.second_run}"]
    args += ["--db", filled_store.url, "--kind", "dpo", "--out", str(out)]
    result = runner.invoke(train_group, [*args, "--exclude-problems", str(split), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["records"] == 2 and summary["eval_excluded_problems"] == 1
    records = read_jsonl(out, "dpo")
    assert {r["meta"]["problem"] for r in records} == {"optbench-py/pair-sum-count"}
    assert set(records[0]) == {"prompt", "chosen", "rejected", "meta"}

    sft = tmp_path / "sft.jsonl"
    result = runner.invoke(
        train_group,
        [
            "data",
            "--from-runs",
            "1",
            "--db",
            filled_store.url,
            "--references",
            "--out",
            str(sft),
            "--exclude-dataset",
            "optbench-py",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "dropped" in result.output
    assert sft.read_text() == ""


def test_cli_needs_a_source(tmp_path: Path) -> None:
    result = CliRunner().invoke(train_group, ["data", "--out", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 2 and "nothing to build from" in result.output


RENAMED_COUNT_IN_RANGE = """def tally(xs, spans):
    out = []
    for low, high in spans:
        c = 0
        for x in xs:
            if low <= x <= high:
                c += 1
        out.append(c)
    return out
"""
RENAMED_MIN_GAP_FAST = """from itertools import pairwise


def smallest_step(values):
    if len(values) < 2:
        raise ValueError("two values needed")
    return min(y - x for x, y in pairwise(sorted(values)))
"""


def _data(*args: str) -> dict:
    result = CliRunner().invoke(train_group, ["data", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_cli_guards_against_the_eval_split_by_default(tmp_path: Path) -> None:
    """With no evaluation set named, references of the bundled dataset are its train split
    only: no eval problem, copy or near-duplicate of one is trained on."""
    dataset = load_dataset("optbench-py")
    out = tmp_path / "sft.jsonl"
    summary = _data("--references", "--dataset", "optbench-py", "--out", str(out))
    assert summary["eval_guard"] == ["dataset optbench-py split eval (41 problems)"]
    trained = {r["meta"]["problem"].split("/", 1)[1] for r in read_jsonl(out, "sft")}
    assert trained == {p.id for p in dataset.split("train")}
    assert summary["eval_excluded_problems"] == len(dataset.split("eval"))

    named = _data(
        "--references", "--dataset", "optbench-py", "--out", str(out),
        "--exclude-dataset", "optbench-py:train",
    )  # fmt: skip
    trained = {r["meta"]["problem"].split("/", 1)[1] for r in read_jsonl(out, "sft")}
    assert trained == {p.id for p in dataset.split("eval")}
    assert named["eval_guard"] == ["dataset optbench-py split train (21 problems)"]


def test_cli_guard_drops_near_duplicates_of_eval_problems_from_pairs(tmp_path: Path) -> None:
    """A pair whose slow code is an eval problem's with every name changed, and a pair whose
    fast code is an eval problem's reference renamed, are dropped; an unrelated pair stays."""
    pairs = tmp_path / "pairs.jsonl"
    rows = [
        {"id": "tally", "slow_code": RENAMED_COUNT_IN_RANGE, "fast_code": "def tally(xs, spans):\n    return []\n"},
        {"id": "steps", "slow_code": "def smallest_step(values):\n    return 0\n", "fast_code": RENAMED_MIN_GAP_FAST},
        {"id": "sq", "slow_code": "def sq(n):\n    return sum([n] * n)\n", "fast_code": "def sq(n):\n    return n * n\n"},
    ]  # fmt: skip
    pairs.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "sft.jsonl"
    summary = _data("--pairs", str(pairs), "--out", str(out))
    assert [r["meta"]["problem"] for r in read_jsonl(out, "sft")] == ["pairs/sq"]
    assert summary["eval_excluded_problems"] == 2
    assert summary["eval_excluded_near_duplicates"] == 2

    guard = EvalGuard()
    guard.add_dataset("optbench-py:eval")
    found = guard.why(jsonl_attempts(pairs)[0].problem)
    assert found is not None and found.evaluated == "count-in-range"
