"""``optbench datasets validate`` times the original on the workloads of a few seeds and
flags a workload whose cost swings with the seed or misses 50-500 ms."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner

from optbench.cli import cli
from optbench.datasets import load_dataset
from optbench.datasets.validate import validate_dataset
from optbench.datasets.workload_cost import WorkloadCost, cost_warnings, workload_cost

SLOW = """\
def spin(n):
    total = 0
    for i in range(n):
        total += i % 7
    return total
"""

# about 150 ms on every seed; the other costs 1.5 ms on even seeds and 150 ms on odd ones
STEADY = "(3_000_000 + seed,)"
SWINGING = "((30_000, 3_000_000)[seed % 2],)"
EXPLODING = "((30_000, 10**10)[seed % 2],)"
FAILING = "((3_000_000, 'x')[seed % 2],)"  # range('x') raises on odd seeds


def _dataset(root: Path, workloads: dict[str, str]) -> Path:
    root.mkdir()
    (root / "dataset.toml").write_text('name = "costs"\nversion = "0.1"\n')
    for pid, workload in workloads.items():
        folder = root / pid
        folder.mkdir()
        (folder / "problem.toml").write_text(
            f'id = "{pid}"\ntitle = "Spin"\nkind = "function"\nentry_point = "spin"\n'
        )
        (folder / "slow.py").write_text(SLOW)
        (folder / "inputs.py").write_text(
            textwrap.dedent(f"""\
                from hypothesis import strategies as st


                def strategy():
                    return st.tuples(st.integers(0, 50))


                def workload(seed=0):
                    return {workload}


                EDGE_CASES = [(0,), (1,)]
            """)
        )
    return root


def test_validate_flags_a_workload_whose_cost_swings_with_the_seed(tmp_path: Path) -> None:
    root = _dataset(tmp_path / "costs", {"steady": STEADY, "swinging": SWINGING})
    results = {
        r.problem: r
        for r in validate_dataset(
            load_dataset(root), examples=5, profile="smoke", cost_seeds=2, workers=1
        )
    }
    steady, swinging = results["steady"], results["swinging"]
    assert steady.ok and swinging.ok, (steady.failure, swinging.failure)
    assert steady.cost_warnings == [], steady.cost
    assert steady.cost.endswith(" 2 seeds)"), steady.cost
    assert len(swinging.cost_warnings) == 2, swinging.cost_warnings
    varies, under = swinging.cost_warnings
    assert varies.startswith("varies with the seed: ") and "(seed 0) to" in varies
    assert "(seed 1)" in varies and "(more than 3x)" in varies
    assert under.startswith("under 50 ms on seed 0 (")


def test_validate_cli_names_the_seeds_and_still_passes(tmp_path: Path) -> None:
    root = _dataset(tmp_path / "costs", {"swinging": SWINGING})
    args = ["datasets", "validate", str(root), "--examples", "5", "--profile", "smoke"]
    result = CliRunner().invoke(cli, [*args, "--cost-seeds", "2", "--workers", "1"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "warning: swinging: workload cost " in text
    assert "varies with the seed" in text and "under 50 ms on seed 0" in text
    assert "1 with a workload whose cost swings with the seed or misses 50-500 ms" in text

    skipped = CliRunner().invoke(cli, [*args, "--cost-seeds", "0", "--workers", "1"])
    assert skipped.exit_code == 0, skipped.output
    assert "workload cost" not in skipped.output


def test_a_draw_over_the_cap_ends_the_check(tmp_path: Path) -> None:
    root = _dataset(tmp_path / "costs", {"exploding": EXPLODING})
    found = workload_cost(load_dataset(root).get("exploding"), seeds=4, cap_s=0.5)
    assert found.capped and found.over_cap == 1
    assert list(found.times_ms) == [0]  # seeds 2 and 3 are not timed
    assert found.warnings[0] == "seed 1 costs over 0.5 s (later seeds not timed)"


def test_an_original_that_fails_on_a_seeds_workload_fails_the_problem(tmp_path: Path) -> None:
    root = _dataset(tmp_path / "costs", {"failing": FAILING})
    [result] = validate_dataset(
        load_dataset(root), examples=5, profile="smoke", cost_seeds=2, workers=1
    )
    assert not result.ok
    assert result.failure.startswith("workload (seed 1): original "), result.failure
    assert "TypeError" in result.failure


def test_cost_warnings_name_the_seeds_outside_the_aim() -> None:
    found = WorkloadCost(times_ms={0: 40.0, 1: 90.0, 2: 600.0, 3: 35.0})
    assert cost_warnings(found) == [
        "varies with the seed: 35 ms (seed 3) to 600 ms (seed 2), 17.1x (more than 3x)",
        "under 50 ms on seeds 0 (40 ms), 3 (35 ms)",
        "over 500 ms on seed 2 (600 ms)",
    ]
    assert cost_warnings(WorkloadCost(times_ms={0: 60.0, 1: 170.0})) == []
    assert cost_warnings(WorkloadCost(times_ms={0: 60.0, 1: 190.0})) != []
