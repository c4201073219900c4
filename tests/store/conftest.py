from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from optbench.core import Problem, ProblemKind
from optbench.store import Store, open_store


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'optbench.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def make_problem(
    problem_id: str = "sum-squares", source: str = "def f(n):\n    return n\n"
) -> Problem:
    return Problem(
        id=problem_id,
        dataset="bundled",
        title=f"Problem {problem_id}",
        kind=ProblemKind.FUNCTION,
        slow_source=source,
        entry_point="f",
        tags=("loops", "math"),
        content_hash=hashlib.sha256(source.encode()).hexdigest(),
    )


@pytest.fixture
def problem() -> Problem:
    return make_problem()


@pytest.fixture
def problem_factory() -> Callable[..., Problem]:
    return make_problem
