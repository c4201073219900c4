"""Sidebar controls shared by the pages. Choices live in ``st.session_state`` under
plain keys (so they survive moving between pages, which drops widget state) and the run
selection is mirrored in the ``runs`` query parameter, so a URL reopens the same view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from optbench.report import OPT_OVER, OptOver, Pool, ProblemInfo, RunSummary
from optbench_app import data
from optbench_app.labels import run_label

RUNS_KEY = "run_ids"
RUNS_PARAM = "runs"


def _kept(key: str, default: Any) -> str:
    """Give the widget ``_key`` the value kept under ``key``; return the widget key."""
    widget = f"_{key}"
    st.session_state.setdefault(key, default)
    st.session_state[widget] = st.session_state[key]
    return widget


def _keep(key: str) -> Callable[[], None]:
    def copy() -> None:
        st.session_state[key] = st.session_state[f"_{key}"]

    return copy


def _runs_from_query(known: Sequence[int]) -> list[int]:
    raw = st.query_params.get(RUNS_PARAM, "")
    chosen = []
    for part in str(raw).split(","):
        if part.strip().isdigit() and int(part) in known:
            chosen.append(int(part))
    return chosen


def run_picker(summaries: Sequence[RunSummary]) -> data.RunIds:
    """The sidebar's run selection; None (every run) when nothing is selected."""
    known = [s.id for s in summaries]
    labels = {s.id: run_label(s) for s in summaries}
    if RUNS_KEY not in st.session_state:
        st.session_state[RUNS_KEY] = _runs_from_query(known)
    st.session_state[RUNS_KEY] = [r for r in st.session_state[RUNS_KEY] if r in known]
    st.sidebar.multiselect(
        "Runs",
        known,
        key=_kept(RUNS_KEY, []),
        format_func=lambda r: labels.get(r, f"#{r}"),
        on_change=_keep(RUNS_KEY),
        placeholder="All runs",
        help="The runs every page reports on; none selected means all runs.",
    )
    chosen = st.session_state[RUNS_KEY]
    if chosen:
        st.query_params[RUNS_PARAM] = ",".join(str(r) for r in chosen)
    elif RUNS_PARAM in st.query_params:
        del st.query_params[RUNS_PARAM]
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


SPEEDUP_CHOICES = {"Clamped at 1.0 (PIE)": True, "Unclamped": False}
OPT_CHOICES: dict[str, OptOver] = dict(
    zip(("Over all problems (PIE)", "Over correct problems"), OPT_OVER, strict=True)
)
ALL_SAMPLES = "Best of all samples"
AT_K = "@k: best of k random samples"
SAMPLE_CHOICES = (ALL_SAMPLES, AT_K)
POOL_CHOICES: dict[str, Pool] = {"Mean over runs": "mean", "Best of runs (pooled)": "best"}


def variant_controls(problems: Sequence[ProblemInfo], *, opt: bool = True) -> Variant:
    """Sidebar widgets for the metric variants and the problem filter."""
    bar = st.sidebar
    bar.subheader("Metric variant")
    speedup = bar.radio(
        "Speedup",
        list(SPEEDUP_CHOICES),
        key=_kept("variant_speedup", next(iter(SPEEDUP_CHOICES))),
        on_change=_keep("variant_speedup"),
        help="Clamped (PIE): the original is kept (1.0) where no candidate measured faster. "
        "Either way a selected candidate is scored by its confirmation measurement.",
    )
    samples = bar.radio(
        "Samples",
        SAMPLE_CHOICES,
        key=_kept("variant_samples", ALL_SAMPLES),
        on_change=_keep("variant_samples"),
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
                key=_kept("variant_k", 1),
                on_change=_keep("variant_k"),
                help="Above a problem's number of samples, all its samples are used.",
            )
        )
    pool = bar.radio(
        "Repeated runs",
        list(POOL_CHOICES),
        key=_kept("variant_pool", next(iter(POOL_CHOICES))),
        on_change=_keep("variant_pool"),
        help="Runs of the same technique and model (e.g. other seeds): the mean of the per-run "
        "figures with an interval over runs, or their candidates pooled and the best of all "
        "runs kept (best-of grows with the number of runs even when nothing changed).",
    )
    opt_over: OptOver = "all"
    if opt:
        opt_label = bar.radio(
            "%Opt",
            list(OPT_CHOICES),
            key=_kept("variant_opt", next(iter(OPT_CHOICES))),
            on_change=_keep("variant_opt"),
        )
        opt_over = OPT_CHOICES[opt_label]
    bar.subheader("Problems")
    datasets = sorted({p.dataset for p in problems})
    kinds = sorted({p.kind for p in problems})
    tags = sorted({t for p in problems for t in p.tags})
    chosen: dict[str, list[str]] = {}
    for key, label, options in (
        ("filter_datasets", "Dataset", datasets),
        ("filter_kinds", "Kind", kinds),
        ("filter_tags", "Tags (any of)", tags),
    ):
        st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options]
        chosen[key] = bar.multiselect(
            label, options, key=_kept(key, []), on_change=_keep(key), placeholder="All"
        )
    return Variant(
        clamp=SPEEDUP_CHOICES[speedup],
        k=k,
        pool=POOL_CHOICES[pool],
        opt_over=opt_over,
        datasets=tuple(chosen["filter_datasets"]),
        kinds=tuple(chosen["filter_kinds"]),
        tags=tuple(chosen["filter_tags"]),
    )


def refresh_button() -> None:
    if st.sidebar.button("Refresh data", help="Re-read the database (runs in progress)."):
        data.refresh()
