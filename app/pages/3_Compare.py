"""Two (technique, model) entries head to head, paired per problem."""

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from optbench_app import charts, controls, data, formats, page, url
from optbench_app.labels import entry_label

ctx = page.start(
    "Compare",
    "⚖️",
    "Per-problem speedups of two entries on the problems both were scored on.",
)
variant = controls.variant_controls(data.problems(ctx.source, ctx.run_ids), opt=False)
rows = data.summary(ctx.source, ctx.run_ids, **variant.summary_args())
entries = [(r.technique, r.model) for r in rows]
if len(entries) < 2:
    st.info("Comparing needs at least two technique/model entries in the selected runs.")
    st.stop()


def _side(key: str, param: str, default: int, column: DeltaGenerator) -> tuple[str, str]:
    """One side's selectbox, seeded from and written to URL ``param`` (``technique|model``)."""
    url.seed(
        key,
        param,
        lambda raw: url.entry_from(raw) if url.entry_from(raw) in entries else None,
        "an entry of the selected runs as technique|model: "
        + ", ".join(url.entry_param(e) for e in entries),
    )
    if st.session_state.get(key) not in entries:
        st.session_state[key] = entries[default]
    chosen = column.selectbox(
        param.upper(),
        entries,
        format_func=lambda e: entry_label(*e),
        key=controls.kept(key, entries[default]),
        on_change=controls.keep(key),
    )
    url.write(param, url.entry_param(chosen))
    return chosen


left, right = st.columns(2)
a = _side("compare_a", "a", 0, left)
b = _side("compare_b", "b", 1, right)
if a == b:
    st.warning("Pick two different entries.")
    st.stop()

result, pairs = data.comparison(ctx.source, ctx.run_ids, a, b, **variant.problem_args())
label_a, label_b = entry_label(*a), entry_label(*b)
cols = st.columns(5)
cols[0].metric("Problems", result.problems)
cols[1].metric(f"{label_a} wins", result.wins)
cols[2].metric(f"{label_b} wins", result.losses)
cols[3].metric("Ties", result.ties)
cols[4].metric(
    "Speedup ratio A/B (geo)",
    formats.ratio(result.ratio.value),
    help=f"95% interval [{formats.ratio(result.ratio.low)}, {formats.ratio(result.ratio.high)}]",
)
st.markdown(
    "Paired tests over non-tied problems: Wilcoxon signed-rank "
    f"**{formats.p_value(result.wilcoxon_p)}**, sign test **{formats.p_value(result.sign_p)}**. "
    f"Ratio interval: [{formats.ratio(result.ratio.low)}, {formats.ratio(result.ratio.high)}]."
)
live = data.running(ctx.source, ctx.run_ids)
if {a, b} & live:
    st.caption(
        page.LIVE_MARK
        + ", ".join(entry_label(*e) for e in (a, b) if e in live)
        + " has candidates in a run still in progress: these figures will change."
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
    frame.rename(columns={"A": label_a, "B": label_b}),
    hide_index=True,
    width="stretch",
    placeholder=formats.MISSING,
    column_config={
        label_a: formats.ratio_column(label_a),
        label_b: formats.ratio_column(label_b),
    },
)
