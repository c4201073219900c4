"""The dashboard served by ``optbench dashboard`` and opened in headless Chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from dashboard_fixtures import Filled

from optbench.store import ENV_VAR

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = {
    "": "optbench dashboard",
    "Runs": "Runs",
    "Leaderboard": "Leaderboard",
    "Compare": "Compare",
    "Problem": "Problem",
    "Cost": "Cost",
    "Heatmap": "Technique × problem",
}
STARTUP_S = 60
SCREENSHOT_HEIGHT = 1500
"""Streamlit scrolls inside its main block, so a full-page shot is one viewport tall."""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
            return reply.read().strip() == b"ok"
    except OSError:
        return False


@pytest.fixture(scope="module")
def server(filled: Filled) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "optbench.cli",
            "dashboard",
            "--db",
            filled.url,
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while not _healthy(base):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"dashboard did not start: {process.stderr.read()!r}")
            time.sleep(0.5)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def browser_page(server: str) -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            yield page
        finally:
            browser.close()


def _open(page, base: str, path: str, title: str) -> None:
    page.goto(f"{base}/{path}", wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    page.get_by_role("heading", name=title, exact=True).wait_for(timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText"
        ".includes('Running')",
        timeout=30_000,
    )


@pytest.mark.parametrize("path", list(PAGES))
def test_page_opens_without_exception(browser_page, server: str, path: str) -> None:
    _open(browser_page, server, path, PAGES[path])
    assert browser_page.locator('[data-testid="stException"]').count() == 0


def test_leaderboard_screenshot(browser_page, server: str) -> None:
    browser_page.set_viewport_size({"width": 1400, "height": SCREENSHOT_HEIGHT})
    _open(browser_page, server, "Leaderboard", "Leaderboard")
    browser_page.locator(".vega-embed").first.wait_for(timeout=30_000)
    browser_page.wait_for_timeout(1500)
    assert browser_page.locator(".vega-embed").count() >= 4
    assert browser_page.locator('[data-testid="stException"]').count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "leaderboard.png"
    browser_page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_heatmap_opens_with_a_cell_per_entry_and_problem(browser_page, server: str) -> None:
    _open(browser_page, server, "Heatmap?runs=1", "Technique × problem")
    chart = browser_page.locator(".vega-embed").first
    chart.wait_for(timeout=30_000)
    assert browser_page.locator('[data-testid="stException"]').count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    chart.screenshot(path=str(ARTIFACTS / "heatmap.png"))
    assert (ARTIFACTS / "heatmap.png").stat().st_size > 2_000


def test_a_shared_url_opens_the_same_view(browser_page, server: str, filled: Filled) -> None:
    root = filled.chain[0]
    _open(
        browser_page,
        server,
        f"Problem?runs=1&problem=bundled/p1&candidate={root}&tab=lineage",
        "Problem",
    )
    selected = browser_page.locator('[role="tab"][aria-selected="true"]').first
    selected.wait_for(timeout=30_000)
    assert "Lineage" in selected.inner_text()
    assert f"candidate={root}" in browser_page.url and "tab=lineage" in browser_page.url
    chosen = browser_page.get_by_role("combobox", name="Candidate")
    assert chosen.input_value().startswith(f"#{root} feedback")

    _open(browser_page, server, "Leaderboard?runs=1&pool=median", "Leaderboard")
    warning = browser_page.locator('[data-testid="stAlertContentWarning"]', has_text="pool=median")
    warning.first.wait_for(timeout=30_000)
    assert "was ignored" in warning.first.inner_text()
