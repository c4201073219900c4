"""Technique × problem: which programs each entry made faster, and what became of the
others. Every cell opens the problem's page."""

import streamlit as st

from optbench_app import charts, controls, data, formats, frames, page, url
from optbench_app.labels import problem_param

ctx = page.start(
    "Technique × problem",
    "🧩",
    "Per problem and entry: its score (the best equivalent candidate's confirmed speedup, "
    "1.0 where nothing beat the original; the mean over runs for repeated runs) and what "
    "became of it. Filter by tag in the sidebar; click a cell or a problem to open it.",
)
catalog = data.problems(ctx.source, ctx.run_ids)
variant = controls.variant_controls(catalog, opt=False)
results = data.problem_rows(ctx.source, ctx.run_ids, **variant.problem_args())
if not results:
    st.info("No candidates for these runs and problems.")
    st.stop()

MARKS = {
    frames.OPTIMIZED: "▲",
    "equivalent": "=",
    "not_equivalent": "✗",
    "error": "!",
    "timeout": "◷",
    "rejected": "⊘",
    frames.UNVERIFIED: "?",
    frames.NO_CANDIDATE: "·",
}
frame = frames.technique_problem(results, data.running(ctx.source, ctx.run_ids))
params = {p.row: problem_param(p, catalog) for p in catalog}
frame["Open"] = [url.link("Problem", problem=params[row]) for row in frame["problem_row"]]
frame["Label"] = [
    formats.ratio(s) + " " + "".join(MARKS.get(v, "") for v in verdict.split(" / "))
    for s, verdict in zip(frame["Speedup"], frame["Verdict"], strict=True)
]

ORDERS = {
    "name": "Dataset id",
    "best": "Best speedup first",
    "spread": "Largest spread between entries first",
}
url.seed("heatmap_order", "order", url.choice(ORDERS), "one of " + ", ".join(ORDERS))
order = st.radio(
    "Order problems by",
    list(ORDERS),
    format_func=ORDERS.__getitem__,
    horizontal=True,
    key=controls.kept("heatmap_order", "name"),
    on_change=controls.keep("heatmap_order"),
)
url.write("order", None if order == "name" else order)
by_problem = frame.groupby("Problem")["Speedup"]
if order == "best":
    problem_order = by_problem.max().sort_values(ascending=False).index.tolist()
elif order == "spread":
    spread = by_problem.max() / by_problem.min()
    problem_order = spread.sort_values(ascending=False).index.tolist()
else:
    problem_order = sorted(frame["Problem"].unique())

st.altair_chart(charts.heatmap(frame, problem_order), width="stretch")
st.caption(
    "Marks: ▲ optimized (at least 1.10× faster, significantly), = equivalent, ✗ not "
    "equivalent, ! error, ◷ timeout, ⊘ rejected, ? unverified, · no candidate; one mark "
    "per run when runs differ."
    + (f" {page.LIVE_MARK}Entries marked in progress will change." if ctx.live else "")
)

st.subheader("Every cell")
shown = ["Problem", "Open", "Technique", "Model", "Speedup", "Verdict", "Runs"]
if ctx.live:
    shown.append("Status")
st.dataframe(
    frame[shown].sort_values(["Problem", "Technique", "Model"]),
    hide_index=True,
    width="stretch",
    placeholder=formats.MISSING,
    column_config={
        "Open": st.column_config.LinkColumn("Open", display_text="open ↗"),
        "Speedup": formats.ratio_column("Speedup"),
        "Runs": formats.count_column("Runs"),
    },
)
