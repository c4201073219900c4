"""Every run: what it was, where it ran, how far it got."""

import pandas as pd
import streamlit as st

from optbench_app import controls, page
from optbench_app.labels import duration, moment

ctx = page.start("Runs", "🗂️", "Every run in the database; pick runs in the sidebar.")

frame = pd.DataFrame(
    [
        {
            "Run": r.id,
            "Name": r.name or "",
            "Status": r.status,
            "Dataset": f"{r.dataset} {r.dataset_version}",
            "Techniques": ", ".join(r.techniques),
            "Models": ", ".join(r.models) or "–",
            "Profile": r.profile,
            "Machine": r.machine,
            "Started": moment(r.started_at or r.created_at),
            "Duration": duration(r.duration_s),
            "Problems": r.progress.problems,
            "Planned": r.problems_planned,
            "Candidates": r.progress.candidates,
            "Verified": r.progress.verified,
            "Equivalent": r.progress.equivalent,
            "Measured": r.progress.measured,
        }
        for r in ctx.runs
    ]
)
st.dataframe(page.paginated(frame, "runs"), hide_index=True, width="stretch")

left, right = st.columns(2)
if left.button("Select all finished runs"):
    controls.set_runs([r.id for r in ctx.runs if r.status == "finished"])
    st.rerun()
if right.button("Clear selection (all runs)"):
    controls.set_runs([])
    st.rerun()

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
