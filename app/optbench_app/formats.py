"""One way to write each kind of number on every page: speedups and ratios to 3
significant digits (2 decimals in their usual 0.1–10 range), percentages to one decimal,
memory in MiB, p-values as ``p < 0.001`` below that; a missing value is a dash."""

from __future__ import annotations

import math

import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

MISSING = "–"
"""What a table shows for a missing value (``st.dataframe(placeholder=...)``)."""
MIB = 1024 * 1024
RATIO = "%.2f×"
PERCENT = "%.1f%%"
COUNT = "%d"
SECONDS = "%.1f s"
MEBIBYTES = "%.1f MiB"


def ratio_column(title: str, help: str | None = None) -> ColumnConfig:
    return st.column_config.NumberColumn(title, format=RATIO, help=help)


def percent_column(title: str) -> ColumnConfig:
    return st.column_config.NumberColumn(title, format=PERCENT)


def count_column(title: str) -> ColumnConfig:
    return st.column_config.NumberColumn(title, format=COUNT)


def seconds_column(title: str) -> ColumnConfig:
    return st.column_config.NumberColumn(title, format=SECONDS)


def ratio(value: float | None) -> str:
    """A speedup or ratio in text: ``2.75×``, ``12.3×``."""
    if value is None or math.isnan(value):
        return MISSING
    if abs(value) >= 10:
        return f"{value:.3g}×"
    return f"{value:.2f}×"


def p_value(p: float) -> str:
    """``p < 0.001`` or ``p = 0.042``."""
    if math.isnan(p):
        return "p = –"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def mebibytes(value_bytes: float) -> float:
    return value_bytes / MIB


def metric_column(field: str, title: str) -> ColumnConfig:
    """The column of a :class:`optbench.report.MetricsRow` field."""
    if field.endswith("_pct"):
        return percent_column(title)
    if field in ("tokens_in", "tokens_out"):
        return count_column(title)
    if field == "gen_time_s":
        return seconds_column(title)
    return ratio_column(title)
