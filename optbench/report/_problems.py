"""One problem across runs: what it is, every candidate for it, and their lineage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from optbench.report._data import ALL_PROBLEMS, ProblemFilter
from optbench.store import CandidateInfo, ModelCallInfo, Store
from optbench.store._models import CandidateRow, ProblemRow


@dataclass(frozen=True)
class ProblemInfo:
    row: int
    """The store's row id: one per (dataset, problem id, content hash)."""
    dataset: str
    problem_id: str
    title: str
    kind: str
    tags: tuple[str, ...]
    entry_point: str | None
    slow_source: str
    fast_source: str | None
    content_hash: str


def problem_catalog(
    store: Store, run_ids: Sequence[int] | None = None, *, problems: ProblemFilter = ALL_PROBLEMS
) -> list[ProblemInfo]:
    """Problems with at least one candidate in ``run_ids`` (all runs when None), sorted
    by dataset and id."""
    query = select(ProblemRow).order_by(ProblemRow.dataset, ProblemRow.problem_id, ProblemRow.id)
    used = select(CandidateRow.problem_row_id)
    if run_ids is not None:
        used = used.where(CandidateRow.run_id.in_(list(run_ids)))
    query = query.where(ProblemRow.id.in_(used))
    with store.read_session() as session:
        found = [
            ProblemInfo(
                row=row.id,
                dataset=row.dataset,
                problem_id=row.problem_id,
                title=row.title,
                kind=row.kind,
                tags=tuple(str(t) for t in row.tags or ()),
                entry_point=row.entry_point,
                slow_source=row.slow_source,
                fast_source=row.fast_source,
                content_hash=row.content_hash,
            )
            for row in session.scalars(query)
        ]
    return [p for p in found if problems.accepts(p.dataset, p.kind, p.tags)]


def problem_candidates(
    store: Store, problem_row: int, run_ids: Sequence[int] | None = None
) -> list[CandidateInfo]:
    """Every candidate for the problem in ``run_ids`` (all runs when None), oldest first."""
    ids = [r.id for r in store.list_runs()] if run_ids is None else list(run_ids)
    found = [c for run_id in ids for c in store.candidates(run_id, problem_row=problem_row)]
    return sorted(found, key=lambda c: c.id)


def candidate_calls(store: Store, candidate: CandidateInfo) -> list[ModelCallInfo]:
    """The model calls that produced ``candidate``, oldest first."""
    return [c for c in store.model_calls(candidate.run_id) if c.candidate_id == candidate.id]


@dataclass(frozen=True)
class LineageNode:
    candidate: CandidateInfo
    depth: int
    """0 for a root (no parent among the candidates given)."""


def lineage(candidates: Sequence[CandidateInfo]) -> list[LineageNode]:
    """The candidates as a forest along ``parent_id``, depth first, children oldest first.

    A candidate whose parent is not among ``candidates`` is a root.
    """
    by_id = {c.id: c for c in candidates}
    children: dict[int | None, list[CandidateInfo]] = {}
    for c in sorted(candidates, key=lambda c: c.id):
        parent = c.parent_id if c.parent_id in by_id and c.parent_id != c.id else None
        children.setdefault(parent, []).append(c)
    nodes: list[LineageNode] = []
    seen: set[int] = set()
    stack = [(c, 0) for c in reversed(children.get(None, []))]
    while stack:
        candidate, depth = stack.pop()
        if candidate.id in seen:
            continue
        seen.add(candidate.id)
        nodes.append(LineageNode(candidate, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(candidate.id, [])))
    return nodes
