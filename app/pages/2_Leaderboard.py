"""Technique × model: %Correct, %Opt, speedup, memory and cost with intervals."""

import streamlit as st

from optbench_app import charts, controls, data, frames, page

ctx = page.start(
    "Leaderboard",
    "🏆",
    "PIE metrics per technique and model, with 95% bootstrap intervals over problems.",
)
variant = controls.variant_controls(data.problems(ctx.url, ctx.run_ids))
rows = data.summary(ctx.url, ctx.run_ids, **variant.summary_args())
if not rows:
    st.info("No candidates for these runs and problems.")
    st.stop()

table = frames.leaderboard(rows)
number = st.column_config.NumberColumn
config = {
    title: number(title, format="%.1f" if title.startswith("%") else "%.3g")
    for title in frames.LEADERBOARD_METRICS.values()
}
shown = ["Technique", "Model", "Problems", "Candidates"]
with_intervals = st.toggle("Show interval bounds in the table", value=False)
for title in frames.LEADERBOARD_METRICS.values():
    shown += [title, f"{title} low", f"{title} high"] if with_intervals else [title]
st.dataframe(
    page.paginated(table[shown], "leaderboard"),
    hide_index=True,
    column_config=config,
    width="stretch",
)

speedup_field = st.radio(
    "Speedup average",
    ["speedup_geomean", "speedup_mean"],
    horizontal=True,
    format_func=lambda f: frames.LEADERBOARD_METRICS[f],
)
log_speedup = st.checkbox("Log scale for speedup", value=True)
panels = [
    ("correct_pct", False),
    ("opt_pct", False),
    (speedup_field, log_speedup),
    ("memory_ratio", True),
]
costs = [("tokens_in", False), ("tokens_out", False), ("gen_time_s", False)]
for group in (panels[:2], panels[2:], costs):
    for column, (field, log) in zip(st.columns(len(group)), group, strict=True):
        frame = frames.intervals(rows, field)
        title = frames.LEADERBOARD_METRICS[field]
        if frame.empty:
            column.caption(f"{title}: no values")
        else:
            chart = charts.interval_chart(frame, title, log=log, percent=field.endswith("_pct"))
            column.altair_chart(chart, width="stretch")
st.caption(
    "Speedup: mean over problems of the best equivalent candidate's speedup "
    + ("(at least 1.0, as in PIE)" if variant.clamp else "(unclamped)")
    + "; memory ratio: geometric mean of original / candidate peak memory (above 1 = leaner)."
)
