"""Cached, read-only access to the store through :mod:`optbench.report`.

Each loader is keyed by a :class:`Source` (the database URL and its state, see
:func:`optbench.report.database_state`), the selected run ids and the variant arguments:
two sessions looking at the same runs share one computation, and a result stored since
(a run still going, a new run) changes the key, so a page never shows a stale snapshot.
Results are plain frozen dataclasses; nothing here computes a metric.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from optbench import report
from optbench.core import Measurement, Verdict
from optbench.report import (
    Comparison,
    Entry,
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
from optbench.stats import DEFAULT_RESAMPLES
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


class Source(NamedTuple):
    """A database and its state when the page was drawn: the cache key of every loader."""

    url: str
    state: tuple[object, ...]


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


def source(url: str) -> Source:
    """The database at ``url`` as it is now (one small query)."""
    return Source(url, report.database_state(get_store(url)))


def _ids(run_ids: RunIds) -> list[int] | None:
    return None if run_ids is None else list(run_ids)


def _filter(
    datasets: tuple[str, ...], kinds: tuple[str, ...], tags: tuple[str, ...]
) -> ProblemFilter:
    return ProblemFilter(datasets=datasets, kinds=kinds, tags=tags)


@st.cache_data(show_spinner=False, max_entries=64)
def runs(source: Source) -> list[RunSummary]:
    return report.run_overview(get_store(source.url))


@st.cache_data(show_spinner=False, max_entries=64)
def running(source: Source, run_ids: RunIds) -> set[Entry]:
    """Entries with candidates in a selected run that is still going."""
    return report.running_entries(get_store(source.url), _ids(run_ids))


@st.cache_data(show_spinner=False, max_entries=256)
def problems(source: Source, run_ids: RunIds) -> list[ProblemInfo]:
    return report.problem_catalog(get_store(source.url), _ids(run_ids))


@st.cache_data(show_spinner="Computing metrics…", max_entries=256)
def summary(
    source: Source,
    run_ids: RunIds,
    *,
    clamp: bool = True,
    k: int | None = None,
    pool: Pool = "mean",
    opt_over: OptOver = "all",
    datasets: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    resamples: int = DEFAULT_RESAMPLES,
) -> list[MetricsRow]:
    """The report's metrics; fewer ``resamples`` where only values are shown (the values
    do not depend on them, the intervals do)."""
    return report.summarize(
        get_store(source.url),
        _ids(run_ids),
        clamp=clamp,
        k=k,
        pool=pool,
        opt_over=opt_over,
        problems=_filter(datasets, kinds, tags),
        resamples=resamples,
    )


@st.cache_data(show_spinner=False, max_entries=256)
def problem_rows(
    source: Source,
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
        get_store(source.url),
        _ids(run_ids),
        clamp=clamp,
        k=k,
        pool=pool,
        problems=_filter(datasets, kinds, tags),
    )


@st.cache_data(show_spinner="Comparing…", max_entries=256)
def comparison(
    source: Source,
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
    store, ids, chosen = get_store(source.url), _ids(run_ids), _filter(datasets, kinds, tags)
    variant = {"clamp": clamp, "k": k, "pool": pool, "problems": chosen}
    return (
        report.compare(store, a, b, ids, **variant),  # type: ignore[arg-type]
        report.paired(store, a, b, ids, **variant),  # type: ignore[arg-type]
    )


@st.cache_data(show_spinner=False, max_entries=256)
def candidates(source: Source, run_ids: RunIds, problem_row: int) -> list[CandidateInfo]:
    return report.problem_candidates(get_store(source.url), problem_row, _ids(run_ids))


@st.cache_data(show_spinner=False, max_entries=256)
def tree(source: Source, run_ids: RunIds, problem_row: int) -> list[LineageNode]:
    return report.lineage(candidates(source, run_ids, problem_row))


@st.cache_data(show_spinner=False, max_entries=256)
def verdict(source: Source, candidate_id: int) -> Verdict | None:
    return get_store(source.url).verdict(candidate_id)


@st.cache_data(show_spinner=False, max_entries=256)
def measurement(source: Source, candidate_id: int) -> Measurement | None:
    return get_store(source.url).measurement(candidate_id)


@st.cache_data(show_spinner=False, max_entries=256)
def confirmation(source: Source, candidate_id: int) -> Measurement | None:
    return get_store(source.url).confirmation(candidate_id)


@st.cache_data(show_spinner=False, max_entries=256)
def calls(
    source: Source, run_ids: RunIds, problem_row: int, candidate_id: int
) -> list[ModelCallInfo]:
    found = [c for c in candidates(source, run_ids, problem_row) if c.id == candidate_id]
    return report.candidate_calls(get_store(source.url), found[0]) if found else []
