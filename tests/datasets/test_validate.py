from __future__ import annotations

from click.testing import CliRunner

from optbench.cli import cli


def test_validate_passes_good_and_reports_bad_reference(problem_copy) -> None:
    root, _ = problem_copy("pair-sum-count")
    _, broken = problem_copy("range-sum-queries")
    fast = broken / "fast.py"
    fast.write_text(fast.read_text().replace("prefix[r] - prefix[l - 1]", "prefix[r] - prefix[l]"))
    result = CliRunner().invoke(
        cli,
        ["datasets", "validate", str(root), "--examples", "30", "--no-timing", "--workers", "1"],
    )
    assert result.exit_code == 1, result.output
    assert "1 passed, 1 failed" in result.output
    assert "reference not equivalent" in result.output
