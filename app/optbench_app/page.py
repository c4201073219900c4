"""What every page does first: configure, title, open the store, pick runs."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from optbench.report import RunSummary
from optbench_app import controls, data

PAGE_SIZE = 50


@dataclass(frozen=True)
class PageContext:
    url: str
    run_ids: data.RunIds
    runs: list[RunSummary]


def start(title: str, icon: str, caption: str = "") -> PageContext:
    """Set up a page; stops it (with a message) when there is nothing to show."""
    st.set_page_config(page_title=f"{title} · optbench", page_icon=icon, layout="wide")
    st.title(title)
    if caption:
        st.caption(caption)
    url = data.database_url()
    data.store_or_stop(url)
    summaries = data.runs(url)
    run_ids = controls.run_picker(summaries)
    controls.refresh_button()
    st.sidebar.caption(f"Database: `{url}`")
    if not summaries:
        st.info("No runs in this database yet: start one with `optbench run`.")
        st.stop()
    return PageContext(url, run_ids, summaries)


def paginated(frame: pd.DataFrame, key: str, page_size: int = PAGE_SIZE) -> pd.DataFrame:
    """The rows of the page chosen in a number input shown when ``frame`` is long."""
    if len(frame) <= page_size:
        return frame
    pages = (len(frame) + page_size - 1) // page_size
    page = st.number_input(
        f"Page (of {pages}, {len(frame)} rows)", 1, pages, 1, step=1, key=f"page_{key}"
    )
    start_row = (int(page) - 1) * page_size
    return frame.iloc[start_row : start_row + page_size]
