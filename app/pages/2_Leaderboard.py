"""Technique × model: %Correct, %Opt, speedup, memory and cost with intervals, and what
became of the candidates."""

import streamlit as st

from optbench import report
from optbench_app import charts, controls, data, formats, frames, page

ctx = page.start(
    "Leaderboard",
    "🏆",
    "PIE metrics per technique and model with 95% intervals: bootstrapped over problems for "
    "one run, Student-t over runs for an entry averaged over several runs.",
)
variant = controls.variant_controls(data.problems(ctx.source, ctx.run_ids))
rows = data.summary(ctx.source, ctx.run_ids, **variant.summary_args())
if not rows:
    st.info("No candidates for these runs and problems.")
    st.stop()

titles = frames.metric_titles(variant.k)
live = data.running(ctx.source, ctx.run_ids)
table = frames.leaderboard(rows, variant.k, live)


config = {}
for field, title in titles.items():
    for suffix in ("", " low", " high"):
        config[f"{title}{suffix}"] = formats.metric_column(field, f"{title}{suffix}")
shown = ["Technique", "Model", "Status", "Problems", "Runs", "Candidates", "Unconfirmed"]
if not ctx.live:
    shown.remove("Status")
with_intervals = st.toggle("Show interval bounds in the table", value=False)
for title in titles.values():
    shown += [title, f"{title} low", f"{title} high"] if with_intervals else [title]
st.dataframe(
    table[shown],
    hide_index=True,
    column_config=config,
    width="stretch",
    placeholder=formats.MISSING,
)
for note in report.report_notes(rows):
    (st.warning if "unconfirmed" in note else st.caption)(note)

speedup_field = st.radio(
    "Speedup average",
    ["speedup_geomean", "speedup_mean"],
    horizontal=True,
    format_func=lambda f: titles[f],
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
        frame = frames.intervals(rows, field, live)
        title = titles[field]
        if frame.empty:
            column.caption(f"{title}: no values")
        else:
            chart = charts.interval_chart(frame, title, log=log, percent=field.endswith("_pct"))
            column.altair_chart(chart, width="stretch")
st.caption(
    "Speedup: mean over problems of the best equivalent candidate's speedup from its "
    "confirmation measurement, not the one it was selected by "
    + (
        "(the original, 1.0, where no candidate measured faster, as in PIE)"
        if variant.clamp
        else "(unclamped)"
    )
    + "; memory ratio: geometric mean of original / candidate peak memory (above 1 = leaner); "
    "cost is per run."
)

st.subheader("Candidates by verdict")
verdicts = frames.verdicts(rows)
if verdicts.empty:
    st.info("No candidates.")
else:
    st.dataframe(
        verdicts,
        hide_index=True,
        width="stretch",
        column_config={
            c: formats.percent_column(str(c)) for c in verdicts.columns if str(c).endswith(" %")
        },
        placeholder=formats.MISSING,
    )
    st.altair_chart(charts.verdict_chart(frames.verdict_shares(rows)), width="stretch")
    st.caption(
        "Every candidate row counts once (all samples and rounds). No code: the model replied "
        "without code; model error: the model call failed; no candidate: the technique "
        "proposed nothing for the problem; unverified: not verified yet."
    )
