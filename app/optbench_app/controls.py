"""Sidebar controls shared by the pages: run selection, metric variant, problem filters.

Every choice is kept under a plain ``st.session_state`` key (so it survives moving
between pages, which drops widget state) and mirrored in a URL query parameter (see
:mod:`optbench_app.url`), so a link reopens the same view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from optbench.report import OPT_OVER, POOLS, OptOver, Pool, ProblemInfo, RunSummary
from optbench_app import data, url
from optbench_app.labels import run_label

RUNS_KEY = "run_ids"
RUNS_PARAM = "runs"


def kept(key: str, default: Any) -> str:
    """Give the widget ``_key`` the value kept under ``key``; return the widget key."""
    widget = f"_{key}"
    st.session_state.setdefault(key, default)
    st.session_state[widget] = st.session_state[key]
    return widget


def keep(key: str) -> Callable[[], None]:
    def copy() -> None:
        st.session_state[key] = st.session_state[f"_{key}"]

    return copy


def run_picker(summaries: Sequence[RunSummary]) -> data.RunIds:
    """The sidebar's run selection; None (every run) when nothing is selected."""
    known = [s.id for s in summaries]
    labels = {s.id: run_label(s) for s in summaries}
    url.seed_list(RUNS_KEY, RUNS_PARAM, known, "run")
    st.session_state[RUNS_KEY] = [r for r in st.session_state.get(RUNS_KEY, []) if r in known]
    st.sidebar.multiselect(
        "Runs",
        known,
        key=kept(RUNS_KEY, []),
        format_func=lambda r: labels.get(r, f"#{r}"),
        on_change=keep(RUNS_KEY),
        placeholder="All runs",
        help="The runs every page reports on; none selected means all runs.",
    )
    chosen = st.session_state[RUNS_KEY]
    url.write(RUNS_PARAM, ",".join(str(r) for r in chosen))
    return tuple(chosen) or None


def set_runs(run_ids: Sequence[int]) -> None:
    st.session_state[RUNS_KEY] = list(run_ids)


@dataclass(frozen=True)
class Variant:
    """The metric variant and problem filter the sidebar selects (passed to
    :mod:`optbench.report` as keywords)."""

    clamp: bool = True
    k: int | None = None
    pool: Pool = "mean"
    opt_over: OptOver = "all"
    datasets: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def problem_args(self) -> dict[str, Any]:
        return {
            "clamp": self.clamp,
            "k": self.k,
            "pool": self.pool,
            "datasets": self.datasets,
            "kinds": self.kinds,
            "tags": self.tags,
        }

    def summary_args(self) -> dict[str, Any]:
        return {**self.problem_args(), "opt_over": self.opt_over}


SPEEDUP_CHOICES = {"clamped": "Clamped at 1.0 (PIE)", "unclamped": "Unclamped"}
ALL_SAMPLES, AT_K = "all", "at_k"
SAMPLE_CHOICES = {ALL_SAMPLES: "Best of all samples", AT_K: "@k: best of k random samples"}
POOL_CHOICES: dict[Pool, str] = dict(
    zip(POOLS, ("Mean over runs", "Best of runs (pooled)"), strict=True)
)
OPT_CHOICES: dict[OptOver, str] = dict(
    zip(OPT_OVER, ("Over all problems (PIE)", "Over correct problems"), strict=True)
)
FILTERS = (
    ("filter_datasets", "dataset", "Dataset", "dataset"),
    ("filter_kinds", "kind", "Kind", "kind"),
    ("filter_tags", "tag", "Tags (any of)", "tag"),
)
"""(session key, URL parameter, label, what one item is called)."""


def _seed_variant() -> None:
    def one_of(options: dict[str, str]) -> str:
        return "one of " + ", ".join(options)

    url.seed("variant_speedup", "speedup", url.choice(SPEEDUP_CHOICES), one_of(SPEEDUP_CHOICES))
    url.seed("variant_pool", "pool", url.choice(POOL_CHOICES), one_of(POOL_CHOICES))
    url.seed("variant_opt", "opt", url.choice(OPT_CHOICES), one_of(OPT_CHOICES))
    if "variant_k" not in st.session_state and "k" in st.query_params:
        url.seed("variant_k", "k", url.positive_int, "a whole number of samples, 1 or more")
        if "variant_k" in st.session_state:
            st.session_state["variant_samples"] = AT_K


def variant_controls(problems: Sequence[ProblemInfo], *, opt: bool = True) -> Variant:
    """Sidebar widgets for the metric variants and the problem filter."""
    _seed_variant()
    bar = st.sidebar
    bar.subheader("Metric variant")
    speedup = bar.radio(
        "Speedup",
        list(SPEEDUP_CHOICES),
        format_func=SPEEDUP_CHOICES.__getitem__,
        key=kept("variant_speedup", "clamped"),
        on_change=keep("variant_speedup"),
        help="Clamped (PIE): the original is kept (1.0) where no candidate measured faster. "
        "Either way a selected candidate is scored by its confirmation measurement.",
    )
    samples = bar.radio(
        "Samples",
        list(SAMPLE_CHOICES),
        format_func=SAMPLE_CHOICES.__getitem__,
        key=kept("variant_samples", ALL_SAMPLES),
        on_change=keep("variant_samples"),
        help="Best of all samples: each problem's best candidate, scored by its confirmation "
        "measurement. @k: pass@k, %Opt@k and speedup@k, unbiased estimates of the best of k "
        "samples drawn at random, each scored by its own measurement.",
    )
    k = None
    if samples == AT_K:
        k = int(
            bar.number_input(
                "k",
                min_value=1,
                step=1,
                key=kept("variant_k", 1),
                on_change=keep("variant_k"),
                help="Above a problem's number of samples, all its samples are used.",
            )
        )
    pool = bar.radio(
        "Repeated runs",
        list(POOL_CHOICES),
        format_func=POOL_CHOICES.__getitem__,
        key=kept("variant_pool", "mean"),
        on_change=keep("variant_pool"),
        help="Runs of the same technique and model (e.g. other seeds): the mean of the per-run "
        "figures with an interval over runs, or their candidates pooled and the best of all "
        "runs kept (best-of grows with the number of runs even when nothing changed).",
    )
    opt_over: OptOver = "all"
    if opt:
        opt_over = bar.radio(
            "%Opt",
            list(OPT_CHOICES),
            format_func=OPT_CHOICES.__getitem__,
            key=kept("variant_opt", "all"),
            on_change=keep("variant_opt"),
        )
    chosen = problem_filters(problems)
    url.write("speedup", None if speedup == "clamped" else speedup)
    url.write("k", None if k is None else str(k))
    url.write("pool", None if pool == "mean" else pool)
    url.write("opt", None if st.session_state.get("variant_opt", "all") == "all" else "correct")
    return Variant(
        clamp=speedup == "clamped",
        k=k,
        pool=pool,
        opt_over=opt_over,
        datasets=chosen[0],
        kinds=chosen[1],
        tags=chosen[2],
    )


def problem_filters(problems: Sequence[ProblemInfo]) -> list[tuple[str, ...]]:
    """The sidebar's dataset, kind and tag filters (an empty tuple does not filter)."""
    st.sidebar.subheader("Problems")
    options = (
        sorted({p.dataset for p in problems}),
        sorted({p.kind for p in problems}),
        sorted({t for p in problems for t in p.tags}),
    )
    chosen = []
    for (key, param, label, what), values in zip(FILTERS, options, strict=True):
        url.seed_list(key, param, values, what)
        st.session_state[key] = [v for v in st.session_state.get(key, []) if v in values]
        picked = st.sidebar.multiselect(
            label, values, key=kept(key, []), on_change=keep(key), placeholder="All"
        )
        url.write(param, ",".join(picked))
        chosen.append(tuple(picked))
    return chosen
