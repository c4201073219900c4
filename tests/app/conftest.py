from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("streamlit")

from dashboard_fixtures import Filled, fill

from optbench.store import ENV_VAR

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app"
REAL_TECHNIQUES = ["identity", "reference"]
REAL_PROBLEMS = "pair-sum-count,range-sum-queries"


@pytest.fixture(autouse=True)
def _app_on_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``streamlit run app/Home.py`` puts ``app/`` on sys.path; AppTest does not."""
    import streamlit as st

    monkeypatch.syspath_prepend(str(APP))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Filled:
    return fill(tmp_path_factory.mktemp("dashboard") / "filled.db")


def _techniques() -> list[str]:
    listed = subprocess.run(
        [sys.executable, "-m", "optbench.cli", "techniques", "list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    names = {t["name"] for t in json.loads(listed.stdout)}
    return REAL_TECHNIQUES + (["rules"] if "rules" in names else [])


@pytest.fixture(scope="module")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store filled by a real ``optbench run`` (verified and timed for real)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('dashboard-run') / 'run.db'}"
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "optbench.cli",
            "run",
            "--technique",
            ",".join(_techniques()),
            "--problems",
            REAL_PROBLEMS,
            "--profile",
            "smoke",
            "--examples",
            "30",
            "--db",
            url,
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if k != ENV_VAR},
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    print(f"real run took {time.monotonic() - started:.1f} s")
    return url


@pytest.fixture(autouse=True)
def _restore_main_module():
    """Streamlit's AppTest runs pages as ``__main__``; put the real one back afterwards, or
    every later ``spawn`` process pool in this pytest process would re-run a page script."""
    import sys

    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
