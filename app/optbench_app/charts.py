"""Altair charts of report results (data in, chart out; no metric is computed here)."""

from __future__ import annotations

import altair as alt
import pandas as pd

ENTRY = "Entry"
ROW_STEP = 36
"""Pixels per entry in interval charts."""
ON_FRONT = "Pareto front"
DOMINATED = "dominated"


def _domain(frame: pd.DataFrame, log: bool) -> list[float]:
    """The x range of an interval chart: every point and bound, padded."""
    values = pd.concat([frame["value"], frame["low"], frame["high"]]).dropna()
    if log:
        values = values[values > 0]
    low, high = float(values.min()), float(values.max())
    if log:
        return [low / 1.25, high * 1.25]
    pad = (high - low) * 0.08 or max(abs(high) * 0.1, 1.0)
    return [low - pad, high + pad]


def interval_chart(
    frame: pd.DataFrame, title: str, *, log: bool = False, percent: bool = False
) -> alt.LayerChart:
    """A point per entry with its confidence interval as an error bar.

    ``frame`` has columns ``Entry``, ``value``, ``low``, ``high``; ``percent`` fixes the
    axis at 0-100.
    """
    domain = [0.0, 100.0] if percent else _domain(frame, log)
    scale = alt.Scale(type="log" if log else "linear", domain=domain, nice=False)
    y = alt.Y(f"{ENTRY}:N", title=None, sort=None)
    color = alt.Color(f"{ENTRY}:N", legend=None)
    tooltip = [
        alt.Tooltip(f"{ENTRY}:N"),
        alt.Tooltip("value:Q", format=".3g"),
        alt.Tooltip("low:Q", format=".3g"),
        alt.Tooltip("high:Q", format=".3g"),
    ]
    bars = (
        alt.Chart(frame)
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("low:Q", title=None, scale=scale),
            x2="high:Q",
            y=y,
            color=color,
            tooltip=tooltip,
        )
    )
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=90, opacity=1)
        .encode(x=alt.X("value:Q", scale=scale), y=y, color=color, tooltip=tooltip)
    )
    return (bars + points).properties(title=title, height=alt.Step(ROW_STEP))


def paired_scatter(frame: pd.DataFrame, a: str, b: str) -> alt.LayerChart:
    """Per-problem scores of A (x) against B (y) on log axes, with the y = x line.

    ``frame`` has columns ``Problem``, ``A``, ``B`` and ``Outcome``.
    """
    low = float(min(frame["A"].min(), frame["B"].min(), 1.0)) / 1.2
    high = float(max(frame["A"].max(), frame["B"].max(), 1.0)) * 1.2
    scale = alt.Scale(type="log", domain=[low, high])
    points = (
        alt.Chart(frame)
        .mark_circle(size=90, opacity=0.8)
        .encode(
            x=alt.X("A:Q", title=f"speedup of {a}", scale=scale),
            y=alt.Y("B:Q", title=f"speedup of {b}", scale=scale),
            color=alt.Color("Outcome:N", title=None),
            tooltip=["Problem", alt.Tooltip("A:Q", format=".3g"), alt.Tooltip("B:Q", format=".3g")],
        )
    )
    diagonal = (
        alt.Chart(pd.DataFrame({"A": [low, high], "B": [low, high]}))
        .mark_line(strokeDash=[4, 4], color="gray")
        .encode(x="A:Q", y="B:Q")
    )
    return (diagonal + points).properties(height=420)


def timing_chart(frame: pd.DataFrame, unit: str) -> alt.LayerChart:
    """Box plot plus every value, baseline against candidate.

    ``frame`` has columns ``Program`` and ``value``.
    """
    x = alt.X("value:Q", title=unit, scale=alt.Scale(zero=False))
    y = alt.Y("Program:N", title=None, sort=["original", "candidate"])
    box = alt.Chart(frame).mark_boxplot(extent="min-max", opacity=0.35).encode(x=x, y=y)
    strip = (
        alt.Chart(frame)
        .mark_tick(thickness=2, size=22)
        .encode(x=x, y=y, color=alt.Color("Program:N", legend=None), tooltip=["Program", "value"])
    )
    return (box + strip).properties(height=160)


def pareto_chart(frame: pd.DataFrame, cost: str, benefit: str) -> alt.LayerChart:
    """Entries by cost (x) and benefit (y); the Pareto front drawn as a line.

    ``frame`` has columns ``Entry``, ``cost``, ``benefit`` and ``Front`` (``ON_FRONT``
    or ``DOMINATED``).
    """
    points = (
        alt.Chart(frame)
        .mark_point(size=140, filled=True)
        .encode(
            x=alt.X("cost:Q", title=cost),
            y=alt.Y("benefit:Q", title=benefit, scale=alt.Scale(zero=False)),
            color=alt.Color(f"{ENTRY}:N"),
            shape=alt.Shape(
                "Front:N",
                title=None,
                scale=alt.Scale(domain=[ON_FRONT, DOMINATED], range=["diamond", "circle"]),
            ),
            tooltip=[ENTRY, "cost", "benefit", "Front"],
        )
    )
    front = (
        alt.Chart(frame[frame["Front"] == ON_FRONT].sort_values("cost"))
        .mark_line(color="black", strokeDash=[2, 2])
        .encode(x="cost:Q", y="benefit:Q")
    )
    return (front + points).properties(height=420)


def verdict_chart(frame: pd.DataFrame) -> alt.Chart:
    """One stacked bar per entry: the share of its candidates in each verdict category.

    ``frame`` has columns ``Entry``, ``Verdict``, ``share`` (percent) and ``count``.
    """
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("share:Q", title="% of candidates", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y(f"{ENTRY}:N", title=None, sort=None),
            color=alt.Color("Verdict:N", title=None, sort=None),
            order=alt.Order("Verdict:N", sort="ascending"),
            tooltip=[ENTRY, "Verdict", "count", alt.Tooltip("share:Q", format=".1f")],
        )
        .properties(height=alt.Step(ROW_STEP))
    )


HEATMAP_STEP = 28
"""Pixels per problem row (and per entry column) of the technique × problem heatmap."""


def heatmap(frame: pd.DataFrame, problem_order: list[str]) -> alt.LayerChart:
    """Entries (x) × problems (y): colour is the speedup on a log scale centred on 1.0,
    the text the speedup and a verdict mark; clicking a cell opens its ``Open`` link.

    ``frame`` has columns ``Entry``, ``Problem``, ``Speedup``, ``Verdict``, ``Label``,
    ``Open``.
    """
    base = alt.Chart(frame).encode(
        x=alt.X(
            f"{ENTRY}:N", title=None, axis=alt.Axis(orient="top", labelAngle=0, labelLimit=220)
        ),
        y=alt.Y("Problem:N", title=None, sort=problem_order),
        href="Open:N",
        tooltip=[
            ENTRY,
            "Problem",
            alt.Tooltip("Speedup:Q", format=".3g"),
            "Verdict",
            "Runs",
        ],
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "Speedup:Q",
            scale=alt.Scale(type="log", scheme="redyellowgreen", domainMid=1.0),
            legend=alt.Legend(title="Speedup", format=".2g"),
        )
    )
    text = base.mark_text(fontSize=11).encode(text="Label:N")
    return (cells + text).properties(height=alt.Step(HEATMAP_STEP))
