"""``--tokens N``: a technique's calls for a problem, prompts and replies together, stay
within N, so techniques compared at one budget spend at most the same. The ``fake:`` model
echoes its prompt (the original in a fenced block), so replies are long and every
candidate is the original."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from optbench.cli import cli
from optbench.store import open_store

BUDGET = 500


def test_every_call_of_a_technique_fits_its_token_budget(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'budget.db'}"
    args = ["run", "--db", db, "--model", "fake:", "--problems", "fib-recursive"]
    args += ["--technique", "best_of_n(max_new_tokens=200)"]
    args += ["--profile", "smoke", "--examples", "5", "--workers", "1", "--no-cache"]
    args += ["--tokens", str(BUDGET), "--samples", "4", "--rounds", "8"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = CliRunner().invoke(cli, ["report", "--db", db, "--json", "--per-problem"])
    spent = {
        r["technique"]: r["tokens_in"] + r["tokens_out"] for r in json.loads(report.stdout)["rows"]
    }
    assert len(spent) == 1 and all(0 < tokens <= BUDGET for tokens in spent.values()), spent
    with open_store(db) as store:
        (run,) = store.list_runs()
        calls = store.model_calls(run.id)
    # four echoed replies of 200 tokens after the prompt would not fit: each was cut to a
    # quarter of what the prompt left
    assert len(calls) == 4
    prompt = sum(c.input_tokens for c in calls)
    assert all(c.params["max_new_tokens"] == (BUDGET - prompt) // 4 < 200 for c in calls)
    assert all(c.output_tokens == c.params["max_new_tokens"] for c in calls)
