from __future__ import annotations

import importlib.util
import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pg_server
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


_databases = itertools.count(1)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on loopback for the whole session (``postgres`` tests)."""
    if not pg_server.available():
        pytest.skip("PostgreSQL server binaries not installed")
    if importlib.util.find_spec("psycopg") is None:
        pytest.skip("psycopg not installed")
    with pg_server.cluster() as url:
        yield url


@pytest.fixture
def pg_db_url(pg_url: str) -> str:
    """A fresh, empty database in the session's cluster."""
    return pg_server.create_database(pg_url, f"test_{next(_databases)}")
