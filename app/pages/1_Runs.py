"""Every run: what it was, where it ran, how far it got, and its headline figures."""

import pandas as pd
import streamlit as st

from optbench.report import MetricsRow
from optbench_app import controls, data, formats, page
from optbench_app.labels import duration, entry_label, moment

ctx = page.start(
    "Runs",
    "🗂️",
    "Every run in the database with its headline figures; pick runs in the sidebar.",
)

# Per run, its entries' metrics: the Leaderboard's figures for that run alone, shown
# without intervals (so fewer bootstrap resamples; the values do not depend on them).
VALUES_ONLY = 100
headline = {r.id: data.summary(ctx.source, (r.id,), resamples=VALUES_ONLY) for r in ctx.runs}


def _best(run_id: int) -> MetricsRow | None:
    rows = headline[run_id]
    return max(rows, key=lambda m: (m.speedup_mean.value, m.correct_pct.value)) if rows else None


records = []
for r in ctx.runs:
    best = _best(r.id)
    records.append(
        {
            "Run": r.id,
            "Name": r.name or formats.MISSING,
            "Status": page.live_label(r.status, r.status == page.RUNNING),
            "Dataset": f"{r.dataset} {r.dataset_version}",
            "Techniques": ", ".join(r.techniques) or formats.MISSING,
            "Models": ", ".join(r.models) or formats.MISSING,
            "Best entry": entry_label(best.technique, best.model) if best else formats.MISSING,
            "%Correct": best.correct_pct.value if best else None,
            "%Opt": best.opt_pct.value if best else None,
            "Speedup": best.speedup_mean.value if best else None,
            "Profile": r.profile or formats.MISSING,
            "Machine": r.machine or formats.MISSING,
            "Started": moment(r.started_at or r.created_at),
            "Duration": duration(r.duration_s),
            "Problems": r.progress.problems,
            "Planned": r.problems_planned,
            "Candidates": r.progress.candidates,
            "Verified": r.progress.verified,
            "Equivalent": r.progress.equivalent,
            "Measured": r.progress.measured,
        }
    )
st.dataframe(
    pd.DataFrame(records),
    hide_index=True,
    width="stretch",
    placeholder=formats.MISSING,
    column_config={
        "%Correct": formats.percent_column("%Correct"),
        "%Opt": formats.percent_column("%Opt"),
        "Speedup": formats.ratio_column(
            "Speedup", help="PIE's mean speedup over problems of the run's best entry."
        ),
    },
)
st.caption(
    "Headline figures are those of each run's best entry by Speedup (the Leaderboard's "
    "figures for that run alone); ◐ marks a run still in progress, whose figures will change."
)

left, right = st.columns(2)
if left.button("Select all finished runs"):
    controls.set_runs([r.id for r in ctx.runs if r.status == "finished"])
    st.rerun()
if right.button("Clear selection (all runs)"):
    controls.set_runs([])
    st.rerun()

st.subheader("Headline figures per entry")
entries = pd.DataFrame(
    [
        {
            "Run": r.id,
            "Status": page.live_label(r.status, r.status == page.RUNNING),
            "Entry": entry_label(m.technique, m.model),
            "Problems": m.problems,
            "%Correct": m.correct_pct.value,
            "%Opt": m.opt_pct.value,
            "Speedup": m.speedup_mean.value,
            "Speedup (geo)": m.speedup_geomean.value,
        }
        for r in ctx.runs
        for m in headline[r.id]
    ]
)
if entries.empty:
    st.info("No run has candidates yet.")
else:
    st.dataframe(
        entries,
        hide_index=True,
        width="stretch",
        placeholder=formats.MISSING,
        column_config={
            title: formats.metric_column(field, title)
            for field, title in (
                ("correct_pct", "%Correct"),
                ("opt_pct", "%Opt"),
                ("speedup_mean", "Speedup"),
                ("speedup_geomean", "Speedup (geo)"),
            )
        },
    )

unfinished = [r for r in ctx.runs if r.status != "finished"]
if unfinished:
    st.subheader("Progress of unfinished runs")
    for r in unfinished:
        p = r.progress
        st.markdown(f"**Run #{r.id}** ({r.status}) · {', '.join(r.techniques)}")
        verified = p.verified / p.candidates if p.candidates else 0.0
        measured = p.measured / p.equivalent if p.equivalent else 0.0
        st.progress(verified, text=f"verified {p.verified} of {p.candidates} candidates")
        st.progress(measured, text=f"measured {p.measured} of {p.equivalent} equivalent candidates")
        if r.problems_planned:
            st.caption(f"{p.problems} of {r.problems_planned} planned problems have candidates")
