"""Pieces of the Problem page: diff, verdict, timings, lineage and prompts of a candidate."""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from optbench.core import Measurement, Verdict
from optbench.report import LineageNode
from optbench.store import CandidateInfo, ModelCallInfo
from optbench_app import charts, formats
from optbench_app.labels import entry_label


def candidate_label(c: CandidateInfo) -> str:
    speed = f", {formats.ratio(c.speedup)}" if c.speedup is not None else ""
    return (
        f"#{c.id} {entry_label(c.technique, c.model)} · run {c.run_id} · "
        f"sample {c.sample} round {c.round} · {c.verdict_status or 'unverified'}{speed}"
    )


def unified_diff(original: str, candidate: str) -> str:
    lines = difflib.unified_diff(
        original.splitlines(keepends=True),
        candidate.splitlines(keepends=True),
        fromfile="original",
        tofile="candidate",
    )
    return "".join(lines)


def show_code(original: str, candidate: CandidateInfo) -> None:
    diff, side = st.tabs(["Unified diff", "Side by side"])
    with diff:
        text = unified_diff(original, candidate.code)
        if text:
            st.code(text, language="diff")
        else:
            st.info("The candidate is the original, unchanged.")
    with side:
        left, right = st.columns(2)
        left.markdown("**Original**")
        left.code(original, language="python")
        right.markdown(f"**Candidate #{candidate.id}**")
        right.code(candidate.code, language="python")
    if candidate.reasoning:
        with st.expander("The technique's reasoning"):
            st.markdown(candidate.reasoning)
    if candidate.extra:
        with st.expander("Extra provenance"):
            st.json(candidate.extra)


def show_verdict(verdict: Verdict | None) -> None:
    if verdict is None:
        st.info("Not verified yet.")
        return
    box = st.success if verdict.ok else st.error
    box(
        f"**{verdict.status.value}** at stage {verdict.stage.value}, "
        f"{verdict.examples_tried} inputs tried in {verdict.elapsed_s:.2f} s"
    )
    if verdict.message:
        st.text(verdict.message)
    if not verdict.strategy_used:
        st.warning("The problem has no input strategy: only the given tests were checked.")
    cex = verdict.counterexample
    if cex is not None:
        st.markdown(f"**Counterexample** ({cex.kind})")
        st.markdown("Input")
        st.code(cex.input, language=None)
        left, right = st.columns(2)
        left.markdown("Expected (original)")
        left.code(cex.expected, language=None)
        right.markdown("Actual (candidate)")
        right.code(cex.actual, language=None)
    if verdict.isolation:
        st.caption(f"Sandbox: {verdict.isolation}")


def show_measurement(m: Measurement | None) -> None:
    if m is None:
        st.info("Not measured (only equivalent candidates are timed).")
        return
    if m.error:
        st.error(f"Measurement failed: {m.error}")
        return
    results = [m.time] + ([m.memory] if m.memory is not None else [])
    for column, result in zip(st.columns(len(results)), results, strict=True):
        title = "Speedup" if result is m.time else "Memory ratio"
        column.metric(
            title,
            formats.ratio(result.ratio),
            help=f"95% interval [{formats.ratio(result.ci_low)}, {formats.ratio(result.ci_high)}]",
        )
        column.caption(
            f"interval [{formats.ratio(result.ci_low)}, {formats.ratio(result.ci_high)}] · "
            + ("significant" if result.significant else "not significant")
        )
    for result in results:
        unit, scale = result.baseline.unit, 1.0
        if unit == "B":
            unit, scale = "MiB", 1.0 / formats.MIB
        frame = pd.DataFrame(
            [{"Program": "original", "value": v * scale} for v in result.baseline.values]
            + [{"Program": "candidate", "value": v * scale} for v in result.candidate.values]
        )
        if not frame.empty:
            name = {"time": "Time", "instructions": "Instructions"}.get(
                result.metric, "Peak memory"
            )
            st.markdown(f"**{name}** per run ({unit})")
            st.altair_chart(charts.timing_chart(frame, unit), width="stretch")
    st.caption(f"Profile {m.profile}")


def show_confirmation(m: Measurement | None) -> None:
    """The fresh measurement of a candidate selected as its problem's best, if it has one."""
    if m is None:
        return
    if m.error:
        st.warning(f"Confirmation measurement failed: {m.error}")
        return
    t = m.time
    st.metric(
        "Confirmed speedup",
        formats.ratio(t.ratio),
        help="A fresh timing of this candidate after it was selected as the best: the "
        "report's figure, free of the upward bias of being chosen by its first measurement.",
    )
    st.caption(
        f"interval [{formats.ratio(t.ci_low)}, {formats.ratio(t.ci_high)}] · "
        + ("significant" if t.significant else "not significant")
        + " · the selection measurement follows"
    )


def lineage_dot(nodes: Sequence[LineageNode], chosen: int) -> str:
    lines = ["digraph lineage {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for node in nodes:
        c = node.candidate
        status = c.verdict_status or "unverified"
        speed = f"\\n{formats.ratio(c.speedup)}" if c.speedup is not None else ""
        fill = ', style=filled, fillcolor="#ffe08a"' if c.id == chosen else ""
        lines.append(f'  c{c.id} [label="#{c.id} r{c.round}\\n{status}{speed}"{fill}];')
    ids = {n.candidate.id for n in nodes}
    for node in nodes:
        parent = node.candidate.parent_id
        if parent in ids:
            lines.append(f"  c{parent} -> c{node.candidate.id};")
    lines.append("}")
    return "\n".join(lines)


def show_lineage(nodes: Sequence[LineageNode], chosen: int) -> None:
    linked = any(n.depth > 0 for n in nodes)
    if not linked:
        st.info("No refinement chain: every candidate of this entry stands alone.")
        return
    st.graphviz_chart(lineage_dot(nodes, chosen))
    tree = "\n".join(
        f"{'    ' * n.depth}{'└─ ' if n.depth else ''}{candidate_label(n.candidate)}" for n in nodes
    )
    st.code(tree, language=None)


def show_calls(calls: Sequence[ModelCallInfo]) -> None:
    if not calls:
        st.info("No model call produced this candidate.")
        return
    for call in calls:
        title = (
            f"Call #{call.id} · {call.model} · {call.input_tokens} in / {call.output_tokens} out"
            f" · {call.latency_s:.2f} s" + (" · cached" if call.cache_hit else "")
        )
        with st.expander(title):
            for message in call.messages:
                st.markdown(f"**{message.get('role', '?')}**")
                content = message.get("content", "")
                st.text(content if isinstance(content, str) else json.dumps(content, indent=2))
            st.markdown("**reply**")
            st.text(call.completion)
            if call.error:
                st.error(call.error)
            if call.params:
                st.json(call.params, expanded=False)
