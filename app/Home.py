"""optbench dashboard: entry page."""

import streamlit as st

from optbench_app import page

ctx = page.start(
    "optbench dashboard",
    "⚡",
    "Which technique, with which model, makes which programs faster, by how much, "
    "at what cost, and is the faster program really equivalent?",
)

finished = sum(r.status == "finished" for r in ctx.runs)
going = sum(r.status == "running" for r in ctx.runs)
left, middle, right = st.columns(3)
left.metric("Runs", len(ctx.runs))
middle.metric("Finished", finished)
right.metric("Running", going)

st.markdown(
    """
Pick runs in the sidebar (none picked means every run); every page reports on them.
Every choice lives in the URL: copy it to share exactly this view. Figures follow the
database, so new results appear by themselves.

- **Runs**: what each run was, its headline figures, and how far an unfinished one has got.
- **Leaderboard**: %Correct, %Opt, speedup, memory and cost per technique and model,
  with confidence intervals and the metric variants papers mix.
- **Compare**: two entries head to head, problem by problem, with paired tests.
- **Problem**: one problem's candidates: diff, verdict, timings, lineage, prompts.
- **Cost**: tokens and generation time against speedup, with the Pareto front.
- **Heatmap**: technique × problem, speedup and verdict per cell; a cell opens its problem.
"""
)
