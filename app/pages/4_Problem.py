"""One problem across the selected runs: its candidates, verdicts, timings and prompts.

The URL names the problem by its dataset id (``problem=dataset/id``), the candidate
(``candidate=ID``) and the tab (``tab=verdict``), so a link opens exactly this view."""

import pandas as pd
import streamlit as st

from optbench_app import candidate_view, controls, data, formats, page, url
from optbench_app.labels import entry_label, problem_param

ctx = page.start("Problem", "🔎", "One problem across the selected runs.")
problems = data.problems(ctx.source, ctx.run_ids)
if not problems:
    st.info("No problem has candidates in the selected runs.")
    st.stop()

by_param = {problem_param(p, problems): p for p in problems}
params = list(by_param)
url.seed(
    "problem",
    "problem",
    lambda raw: raw if raw in by_param else None,
    "a problem of the selected runs as dataset/id, e.g. " + params[0],
)
if st.session_state.get("problem") not in by_param:
    st.session_state["problem"] = params[0]


def _problem_changed() -> None:
    """Another problem: the URL's candidate and tab were this one's."""
    controls.keep("problem")()
    url.write("candidate", None)


chosen = st.selectbox(
    "Problem", params, key=controls.kept("problem", params[0]), on_change=_problem_changed
)
url.write("problem", chosen)
problem = by_param[chosen]
row = problem.row
st.markdown(f"**{problem.title}** · kind `{problem.kind}` · tags: {', '.join(problem.tags) or '–'}")

found = data.candidates(ctx.source, ctx.run_ids, row)
if not found:
    st.info("No candidates for this problem in the selected runs.")
    st.stop()
live_runs = {r.id for r in ctx.live}
table = pd.DataFrame(
    [
        {
            "Candidate": c.id,
            "Run": c.run_id,
            "Entry": entry_label(c.technique, c.model),
            "Sample": c.sample,
            "Round": c.round,
            "Parent": c.parent_id,
            "Verdict": page.live_label(c.verdict_status or "unverified", c.run_id in live_runs),
            "Speedup": c.speedup,
        }
        for c in found
    ]
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    placeholder=formats.MISSING,
    column_config={
        "Speedup": formats.ratio_column("Speedup"),
        "Parent": st.column_config.NumberColumn("Parent", format="%d"),
    },
)
if live_runs & {c.run_id for c in found}:
    st.caption(f"{page.LIVE_MARK}a candidate of a run still in progress: it may yet change.")

ids = [c.id for c in found]
measured = [c for c in found if c.speedup is not None and c.verdict_status == "equivalent"]
default = max(measured, key=lambda c: c.speedup or 0.0).id if measured else ids[-1]
candidate_key = f"candidate_{row}"
url.seed(
    candidate_key,
    "candidate",
    lambda raw: int(raw) if raw.isdigit() and int(raw) in ids else None,
    "the id of a candidate of this problem: " + ", ".join(str(i) for i in ids),
)
if st.session_state.get(candidate_key) not in ids:
    st.session_state[candidate_key] = default
candidate_id = st.selectbox(
    "Candidate",
    ids,
    format_func=lambda i: candidate_view.candidate_label(next(c for c in found if c.id == i)),
    key=controls.kept(candidate_key, default),
    on_change=controls.keep(candidate_key),
    help="Defaults to the fastest equivalent candidate.",
)
url.write("candidate", str(candidate_id))
candidate = next(c for c in found if c.id == candidate_id)

TABS = {
    "code": "Code",
    "verdict": "Verdict",
    "timing": "Timing",
    "lineage": "Lineage",
    "prompts": "Prompts and replies",
}
url.seed("problem_tab", "tab", url.choice(TABS), "one of " + ", ".join(TABS))
opened = TABS.get(st.session_state.get("problem_tab", "code"), TABS["code"])
code, verdict, timing, lineage, prompts = st.tabs(
    list(TABS.values()), default=opened, key="_problem_tab", on_change="rerun"
)
shown = next(
    (k for k, title in TABS.items() if title == st.session_state.get("_problem_tab")), None
)
st.session_state["problem_tab"] = shown or st.session_state.get("problem_tab", "code")
url.write(
    "tab", None if st.session_state["problem_tab"] == "code" else st.session_state["problem_tab"]
)
with code:
    candidate_view.show_code(problem.slow_source, candidate)
with verdict:
    candidate_view.show_verdict(data.verdict(ctx.source, candidate.id))
with timing:
    candidate_view.show_confirmation(data.confirmation(ctx.source, candidate.id))
    candidate_view.show_measurement(data.measurement(ctx.source, candidate.id))
with lineage:
    same_entry = [
        n
        for n in data.tree(ctx.source, ctx.run_ids, row)
        if (n.candidate.run_id, n.candidate.technique, n.candidate.model)
        == (candidate.run_id, candidate.technique, candidate.model)
    ]
    candidate_view.show_lineage(same_entry, candidate.id)
with prompts:
    candidate_view.show_calls(data.calls(ctx.source, ctx.run_ids, row, candidate.id))
