from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "datasets" / "optbench-py"


@pytest.fixture
def problem_copy(tmp_path: Path):
    """Copy a bundled problem into a fresh dataset folder and return (dataset_dir, problem_dir)."""

    def make(problem_id: str = "pair-sum-count", dataset: str = "scratch") -> tuple[Path, Path]:
        root = tmp_path / dataset
        root.mkdir(exist_ok=True)
        (root / "dataset.toml").write_text(f'name = "{dataset}"\nversion = "0.1"\n')
        target = root / problem_id
        shutil.copytree(BUNDLED / problem_id, target, ignore=shutil.ignore_patterns("__pycache__"))
        return root, target

    return make
