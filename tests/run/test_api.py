"""The programmatic API does what the command line does."""

from __future__ import annotations

from pathlib import Path

import pytest

from optbench import api
from optbench.core.verdict import VerdictStatus


def test_verify_and_a_bad_spec() -> None:
    problem = api.load_dataset("optbench-py").get("pair-sum-count")
    assert api.verify(problem, problem.fast_source or "", examples=20).ok
    wrong = "def count_pairs(nums, target):\n    return 0\n"
    assert api.verify(problem, wrong, examples=20).status is VerdictStatus.NOT_EQUIVALENT
    with pytest.raises(api.OptbenchError, match="no dataset named"):
        api.load_dataset("nosuch")


@pytest.mark.slow
def test_run_and_report(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'api.db'}"
    run_id = api.run(
        ["identity", "reference"],
        problems=["pair-sum-count"],
        profile="smoke",
        max_examples=20,
        db=db,
    )
    rows = {row.technique: row for row in api.report([run_id], db=db)}
    assert rows["identity"].correct_pct.value == rows["reference"].correct_pct.value == 100.0
    assert rows["reference"].speedup_geomean.value > 1.5
    with pytest.raises(api.OptbenchError, match="unknown technique"):
        api.run(["nosuch"], db=db)
