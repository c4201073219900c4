"""One problem across the selected runs: its candidates, verdicts, timings and prompts."""

import pandas as pd
import streamlit as st

from optbench_app import candidate_view, data, page
from optbench_app.labels import entry_label

ctx = page.start("Problem", "🔎", "One problem across the selected runs.")
problems = data.problems(ctx.url, ctx.run_ids)
if not problems:
    st.info("No problem has candidates in the selected runs.")
    st.stop()

rows = [p.row for p in problems]
by_row = {p.row: p for p in problems}
names = [p.problem_id for p in problems]


def problem_label(row: int) -> str:
    p = by_row[row]
    suffix = f" ({p.content_hash[:8]})" if names.count(p.problem_id) > 1 else ""
    return f"{p.dataset}/{p.problem_id}{suffix}"


wanted = st.query_params.get("problem", "")
index = rows.index(int(wanted)) if wanted.isdigit() and int(wanted) in rows else 0
row = st.selectbox("Problem", rows, index=index, format_func=problem_label, key="problem_row")
st.query_params["problem"] = str(row)
problem = by_row[row]
st.markdown(f"**{problem.title}** · kind `{problem.kind}` · tags: {', '.join(problem.tags) or '–'}")

found = data.candidates(ctx.url, ctx.run_ids, row)
if not found:
    st.info("No candidates for this problem in the selected runs.")
    st.stop()
table = pd.DataFrame(
    [
        {
            "Candidate": c.id,
            "Run": c.run_id,
            "Entry": entry_label(c.technique, c.model),
            "Sample": c.sample,
            "Round": c.round,
            "Parent": c.parent_id,
            "Verdict": c.verdict_status or "unverified",
            "Speedup": c.speedup,
        }
        for c in found
    ]
)
st.dataframe(
    page.paginated(table, "candidates"),
    hide_index=True,
    width="stretch",
    column_config={"Speedup": st.column_config.NumberColumn(format="%.3g")},
)

ids = [c.id for c in found]
measured = [c for c in found if c.speedup is not None and c.verdict_status == "equivalent"]
default = max(measured, key=lambda c: c.speedup or 0.0).id if measured else ids[-1]
candidate_id = st.selectbox(
    "Candidate",
    ids,
    index=ids.index(default),
    format_func=lambda i: candidate_view.candidate_label(next(c for c in found if c.id == i)),
    key=f"candidate_{row}",
    help="Defaults to the fastest equivalent candidate.",
)
candidate = next(c for c in found if c.id == candidate_id)

code, verdict, timing, lineage, prompts = st.tabs(
    ["Code", "Verdict", "Timing", "Lineage", "Prompts and replies"]
)
with code:
    candidate_view.show_code(problem.slow_source, candidate)
with verdict:
    candidate_view.show_verdict(data.verdict(ctx.url, candidate.id))
with timing:
    candidate_view.show_confirmation(data.confirmation(ctx.url, candidate.id))
    candidate_view.show_measurement(data.measurement(ctx.url, candidate.id))
with lineage:
    same_entry = [
        n
        for n in data.tree(ctx.url, ctx.run_ids, row)
        if (n.candidate.run_id, n.candidate.technique, n.candidate.model)
        == (candidate.run_id, candidate.technique, candidate.model)
    ]
    candidate_view.show_lineage(same_entry, candidate.id)
with prompts:
    candidate_view.show_calls(data.calls(ctx.url, ctx.run_ids, row, candidate.id))
