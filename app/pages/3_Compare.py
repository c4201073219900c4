"""Two (technique, model) entries head to head, paired per problem."""

import pandas as pd
import streamlit as st

from optbench_app import charts, controls, data, page
from optbench_app.labels import entry_label

ctx = page.start(
    "Compare",
    "⚖️",
    "Per-problem speedups of two entries on the problems both were scored on.",
)
variant = controls.variant_controls(data.problems(ctx.url, ctx.run_ids), opt=False)
rows = data.summary(ctx.url, ctx.run_ids, **variant.summary_args())
entries = [(r.technique, r.model) for r in rows]
if len(entries) < 2:
    st.info("Comparing needs at least two technique/model entries in the selected runs.")
    st.stop()

left, right = st.columns(2)
a = left.selectbox("A", entries, index=0, format_func=lambda e: entry_label(*e), key="compare_a")
b = right.selectbox("B", entries, index=1, format_func=lambda e: entry_label(*e), key="compare_b")
if a == b:
    st.warning("Pick two different entries.")
    st.stop()

result, pairs = data.comparison(ctx.url, ctx.run_ids, a, b, **variant.problem_args())
label_a, label_b = entry_label(*a), entry_label(*b)
cols = st.columns(5)
cols[0].metric("Problems", result.problems)
cols[1].metric(f"{label_a} wins", result.wins)
cols[2].metric(f"{label_b} wins", result.losses)
cols[3].metric("Ties", result.ties)
cols[4].metric(
    "Speedup ratio A/B (geo)",
    f"{result.ratio.value:.3g}",
    help=f"95% interval [{result.ratio.low:.3g}, {result.ratio.high:.3g}]",
)
st.markdown(
    f"Paired tests over non-tied problems: Wilcoxon signed-rank p = **{result.wilcoxon_p:.4f}**, "
    f"sign test p = **{result.sign_p:.4f}**. "
    f"Ratio interval: [{result.ratio.low:.3g}, {result.ratio.high:.3g}]."
)

outcome = {True: f"{label_a} faster", False: f"{label_b} faster"}
frame = pd.DataFrame(
    [
        {
            "Problem": p.problem_id,
            "Dataset": p.dataset,
            "A": p.score_a,
            "B": p.score_b,
            "Outcome": "tie" if p.score_a == p.score_b else outcome[p.score_a > p.score_b],
        }
        for p in pairs
    ]
)
if frame.empty:
    st.info("The two entries share no problem.")
    st.stop()
st.altair_chart(charts.paired_scatter(frame, label_a, label_b), width="stretch")
repeated = [r for r in rows if r.runs > 1 and (r.technique, r.model) in (a, b)]
st.caption(
    "Points below the dashed y = x line are problems where A is faster."
    + (
        " An entry with several runs is scored per problem by the "
        + ("mean of its per-run scores." if variant.pool == "mean" else "best of all its runs.")
        if repeated
        else ""
    )
)
st.dataframe(
    page.paginated(frame.rename(columns={"A": label_a, "B": label_b}), "compare"),
    hide_index=True,
    width="stretch",
)
