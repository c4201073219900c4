"""What every page does first: configure, title, open the store, pick runs, and say
which of the picked runs are still going."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from optbench.report import RunSummary
from optbench_app import controls, data
from optbench_app.labels import LIVE_MARK

LIVE_POLL_S = 10
"""How often a page showing a run in progress looks for new results."""
RUNNING = "running"


@dataclass(frozen=True)
class PageContext:
    url: str
    source: data.Source
    run_ids: data.RunIds
    runs: list[RunSummary]

    @property
    def selected(self) -> list[RunSummary]:
        """The runs the pages report on (every run when none is picked)."""
        chosen = self.run_ids
        return [r for r in self.runs if chosen is None or r.id in chosen]

    @property
    def live(self) -> list[RunSummary]:
        """Selected runs still going: their figures will change."""
        return [r for r in self.selected if r.status == RUNNING]


def start(title: str, icon: str, caption: str = "") -> PageContext:
    """Set up a page; stops it (with a message) when there is nothing to show."""
    st.set_page_config(page_title=f"{title} · optbench", page_icon=icon, layout="wide")
    st.title(title)
    if caption:
        st.caption(caption)
    url = data.database_url()
    data.store_or_stop(url)
    source = data.source(url)
    summaries = data.runs(source)
    run_ids = controls.run_picker(summaries)
    st.sidebar.caption(f"Database: `{url}` · figures follow it: new results appear by themselves.")
    if not summaries:
        st.info("No runs in this database yet: start one with `optbench run`.")
        st.stop()
    ctx = PageContext(url, source, run_ids, summaries)
    if ctx.live:
        ids = ", ".join(f"#{r.id}" for r in ctx.live)
        st.warning(
            f"Run {ids} {'is' if len(ctx.live) == 1 else 'are'} still in progress: figures "
            f"marked {LIVE_MARK.strip()} will change; the page updates itself as results arrive.",
        )
        _watch(url, source.state)
    return ctx


@st.fragment(run_every=LIVE_POLL_S)
def _watch(url: str, state: tuple[object, ...]) -> None:
    """Rerun the page once the database has changed (only while a run is going)."""
    if data.source(url).state != state:
        st.rerun(scope="app")


def live_label(label: str, live: bool) -> str:
    """``label`` marked as still changing when ``live``."""
    return f"{LIVE_MARK}{label}" if live else label
