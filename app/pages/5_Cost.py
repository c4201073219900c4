"""Tokens and generation time against speedup: which entries are worth their cost."""

import pandas as pd
import streamlit as st

from optbench import report
from optbench_app import charts, controls, data, formats, frames, page
from optbench_app.labels import entry_label

ctx = page.start(
    "Cost",
    "💰",
    "Generation cost against benefit per technique and model; "
    "the Pareto front holds the entries no other entry beats on both.",
)
variant = controls.variant_controls(data.problems(ctx.source, ctx.run_ids))
rows = data.summary(ctx.source, ctx.run_ids, **variant.summary_args())
if not rows:
    st.info("No candidates for these runs and problems.")
    st.stop()

COST_TITLES = {
    "tokens": "Tokens (in + out)",
    "tokens_in": "Tokens in",
    "tokens_out": "Tokens out",
    "gen_time_s": "Generation time (s)",
}
titles = frames.metric_titles(variant.k)
left, right = st.columns(2)
cost = left.selectbox("Cost", report.COSTS, format_func=COST_TITLES.__getitem__)
benefit = right.selectbox("Benefit", report.BENEFITS, format_func=titles.__getitem__)
live = data.running(ctx.source, ctx.run_ids)
points = report.cost_frontier(rows, cost=cost, benefit=benefit)
frame = pd.DataFrame(
    [
        {
            "Entry": page.live_label(
                entry_label(p.technique, p.model), (p.technique, p.model) in live
            ),
            "cost": p.cost,
            "benefit": p.benefit,
            "Front": charts.ON_FRONT if p.on_front else charts.DOMINATED,
        }
        for p in points
    ]
).dropna(subset=["cost", "benefit"])
st.altair_chart(
    charts.pareto_chart(frame, COST_TITLES[cost], titles[benefit]),
    width="stretch",
)
if (frame["cost"] == 0).all():
    st.caption("Every entry here cost nothing to generate (baselines or cached replies).")
st.dataframe(
    frame.rename(columns={"cost": COST_TITLES[cost], "benefit": titles[benefit]}),
    hide_index=True,
    width="stretch",
    placeholder=formats.MISSING,
    column_config={
        COST_TITLES[cost]: formats.seconds_column(COST_TITLES[cost])
        if cost == "gen_time_s"
        else formats.count_column(COST_TITLES[cost]),
        titles[benefit]: formats.metric_column(benefit, titles[benefit]),
    },
)
