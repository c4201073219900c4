"""What became of each entry's candidates: a breakdown by verdict.

%Correct says how many problems got an equivalent candidate; this says why the others
did not. Every candidate row counts once (all samples and refinement rounds) in exactly
one category:

* the verifier's verdicts ``equivalent``, ``not_equivalent``, ``error`` (code that does
  not parse, import or run), ``timeout`` and ``rejected`` (sandbox policy);
* the rows the runner stores in place of code, each its own category because each points
  at a different cause: ``no_code`` (the model replied without code), ``model_error``
  (the model call failed) and ``no_candidate`` (the technique proposed nothing for the
  problem, e.g. no rewrite rule applied or the budget ran out);
* ``unverified`` for a candidate not verified yet (a run still going).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from optbench.report._data import CandidateRecord

CATEGORIES = (
    "equivalent",
    "not_equivalent",
    "error",
    "timeout",
    "rejected",
    "no_code",
    "model_error",
    "no_candidate",
    "unverified",
)

VERDICT_TITLES = {
    "equivalent": "Equivalent",
    "not_equivalent": "Not equiv.",
    "error": "Error",
    "timeout": "Timeout",
    "rejected": "Rejected",
    "no_code": "No code",
    "model_error": "Model error",
    "no_candidate": "No candidate",
    "unverified": "Unverified",
}


@dataclass(frozen=True)
class VerdictCounts:
    """Candidate rows per category (see the module docstring)."""

    equivalent: int = 0
    not_equivalent: int = 0
    error: int = 0
    timeout: int = 0
    rejected: int = 0
    no_code: int = 0
    model_error: int = 0
    no_candidate: int = 0
    unverified: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts().values())

    def counts(self) -> dict[str, int]:
        return {c: getattr(self, c) for c in CATEGORIES}

    def shares(self) -> dict[str, float]:
        """Each category's share of the rows, in percent (0 when there are none)."""
        total = self.total
        return {c: 100.0 * n / total if total else 0.0 for c, n in self.counts().items()}

    def columns(self) -> dict[str, Any]:
        """Flat ``verdict_<category>`` and ``verdict_<category>_pct`` columns for CSV/JSON."""
        shares = self.shares()
        flat: dict[str, Any] = {}
        for category, n in self.counts().items():
            flat[f"verdict_{category}"] = n
            flat[f"verdict_{category}_pct"] = shares[category]
        return flat


def _category(record: CandidateRecord) -> str:
    category = record.category
    return category if category in CATEGORIES else "error"


def verdict_counts(records: Iterable[CandidateRecord]) -> dict[tuple[str, str], VerdictCounts]:
    """Per (technique, model): its candidates' verdict breakdown."""
    counted: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in records:
        counted[(r.technique, r.model)][_category(r)] += 1
    return {entry: VerdictCounts(**dict(c)) for entry, c in counted.items()}


def verdict_table(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Display rows for metrics rows that carry ``verdicts``: per entry, each category
    as ``count (share%)``; categories that no entry has are left out. Format them with
    ``titles=VERDICT_TITLES``."""
    found = [r for r in rows if getattr(r, "verdicts", None) is not None]
    used = [c for c in CATEGORIES if any(getattr(r.verdicts, c) for r in found)]
    table = []
    for r in found:
        counts, shares = r.verdicts.counts(), r.verdicts.shares()
        line: dict[str, Any] = {
            "technique": r.technique,
            "model": r.model,
            "candidates": r.verdicts.total,
        }
        for c in used:
            line[c] = f"{counts[c]} ({shares[c]:.0f}%)"
        table.append(line)
    return table
