"""Running a dashboard page headless against a store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from optbench.store import ENV_VAR

APP = Path(__file__).resolve().parents[2] / "app"
PAGES = {
    "Home.py": "optbench dashboard",
    "pages/1_Runs.py": "Runs",
    "pages/2_Leaderboard.py": "Leaderboard",
    "pages/3_Compare.py": "Compare",
    "pages/4_Problem.py": "Problem",
    "pages/5_Cost.py": "Cost",
    "pages/6_Heatmap.py": "Technique × problem",
}
TIMEOUT_S = 60


def page(
    name: str, url: str, monkeypatch: pytest.MonkeyPatch, *, query: dict[str, str] | None = None
) -> AppTest:
    """The page ``name`` (relative to ``app/``) after its first run on the store at ``url``."""
    monkeypatch.setenv(ENV_VAR, url)
    at = AppTest.from_file(str(APP / name), default_timeout=TIMEOUT_S)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def column(at: AppTest, title: str, index: int = 0) -> list:
    return at.dataframe[index].value[title].tolist()
