"""Every wrong-but-plausible mutant under tests/mutants/<problem-id>/ must be caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from optbench.core.verdict import VerdictStatus
from optbench.datasets import resolve_problem
from optbench.verify import VerifyConfig, verify

MUTANTS = Path(__file__).resolve().parents[1] / "mutants"


def _mutants() -> list[Path]:
    if not MUTANTS.is_dir():
        return []
    return sorted(MUTANTS.glob("*/*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("path", _mutants(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_mutant_is_not_equivalent(path: Path) -> None:
    problem = resolve_problem(f"optbench-py/{path.parent.name}")
    verdict = verify(problem, path.read_text(encoding="utf-8"), VerifyConfig())
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.for_prompt()
    assert verdict.counterexample is not None
