"""Cached, read-only access to the store through :mod:`optbench.report`.

Each loader is keyed by the database URL, the selected run ids and the variant
arguments, so two sessions looking at the same runs share one computation. Results are
plain frozen dataclasses; nothing here computes a metric.
"""

from __future__ import annotations

import streamlit as st

from optbench import report
from optbench.core import Measurement, Verdict
from optbench.report import (
    Comparison,
    LineageNode,
    MetricsRow,
    OptOver,
    PairedScore,
    Pool,
    ProblemFilter,
    ProblemInfo,
    ProblemResult,
    RunSummary,
)
from optbench.store import (
    CandidateInfo,
    ModelCallInfo,
    Store,
    StoreError,
    default_url,
    missing_sqlite_file,
    open_store,
)

RunIds = tuple[int, ...] | None
"""Selected runs; None for every run in the store."""

LIVE_TTL_S = 15
"""Run progress changes while a run is going; everything else is cached until refreshed."""


def database_url() -> str:
    """The URL the dashboard was started with (``$OPTBENCH_DB``)."""
    return default_url()


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    return open_store(url)


def store_or_stop(url: str) -> Store:
    """The store at ``url``, or an error box and the end of the page."""
    missing = missing_sqlite_file(url)
    if missing is not None:
        st.error(f"No database at {missing}. Start a run first, or pass `--db URL`.")
        st.stop()
    try:
        return get_store(url)
    except StoreError as exc:
        st.error(f"Cannot open the results database: {exc}")
        st.stop()
        raise


def _ids(run_ids: RunIds) -> list[int] | None:
    return None if run_ids is None else list(run_ids)


def _filter(
    datasets: tuple[str, ...], kinds: tuple[str, ...], tags: tuple[str, ...]
) -> ProblemFilter:
    return ProblemFilter(datasets=datasets, kinds=kinds, tags=tags)


@st.cache_data(ttl=LIVE_TTL_S, show_spinner=False)
def runs(url: str) -> list[RunSummary]:
    return report.run_overview(get_store(url))


@st.cache_data(show_spinner=False)
def problems(url: str, run_ids: RunIds) -> list[ProblemInfo]:
    return report.problem_catalog(get_store(url), _ids(run_ids))


@st.cache_data(show_spinner="Computing metrics…")
def summary(
    url: str,
    run_ids: RunIds,
    *,
    clamp: bool = True,
    k: int | None = None,
    pool: Pool = "mean",
    opt_over: OptOver = "all",
    datasets: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
) -> list[MetricsRow]:
    return report.summarize(
        get_store(url),
        _ids(run_ids),
        clamp=clamp,
        k=k,
        pool=pool,
        opt_over=opt_over,
        problems=_filter(datasets, kinds, tags),
    )


@st.cache_data(show_spinner=False)
def problem_rows(
    url: str,
    run_ids: RunIds,
    *,
    clamp: bool = True,
    k: int | None = None,
    pool: Pool = "mean",
    datasets: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
) -> list[ProblemResult]:
    return report.per_problem(
        get_store(url),
        _ids(run_ids),
        clamp=clamp,
        k=k,
        pool=pool,
        problems=_filter(datasets, kinds, tags),
    )


@st.cache_data(show_spinner="Comparing…")
def comparison(
    url: str,
    run_ids: RunIds,
    a: tuple[str, str],
    b: tuple[str, str],
    *,
    clamp: bool = True,
    k: int | None = None,
    pool: Pool = "mean",
    datasets: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
) -> tuple[Comparison, list[PairedScore]]:
    store, ids, chosen = get_store(url), _ids(run_ids), _filter(datasets, kinds, tags)
    variant = {"clamp": clamp, "k": k, "pool": pool, "problems": chosen}
    return (
        report.compare(store, a, b, ids, **variant),  # type: ignore[arg-type]
        report.paired(store, a, b, ids, **variant),  # type: ignore[arg-type]
    )


@st.cache_data(show_spinner=False)
def candidates(url: str, run_ids: RunIds, problem_row: int) -> list[CandidateInfo]:
    return report.problem_candidates(get_store(url), problem_row, _ids(run_ids))


@st.cache_data(show_spinner=False)
def tree(url: str, run_ids: RunIds, problem_row: int) -> list[LineageNode]:
    return report.lineage(candidates(url, run_ids, problem_row))


@st.cache_data(show_spinner=False)
def verdict(url: str, candidate_id: int) -> Verdict | None:
    return get_store(url).verdict(candidate_id)


@st.cache_data(show_spinner=False)
def measurement(url: str, candidate_id: int) -> Measurement | None:
    return get_store(url).measurement(candidate_id)


@st.cache_data(show_spinner=False)
def confirmation(url: str, candidate_id: int) -> Measurement | None:
    return get_store(url).confirmation(candidate_id)


@st.cache_data(show_spinner=False)
def calls(url: str, run_ids: RunIds, problem_row: int, candidate_id: int) -> list[ModelCallInfo]:
    found = [c for c in candidates(url, run_ids, problem_row) if c.id == candidate_id]
    return report.candidate_calls(get_store(url), found[0]) if found else []


def refresh() -> None:
    """Forget every cached query (the store itself stays open)."""
    st.cache_data.clear()
