"""The guard that keeps evaluation problems, and copies and near-duplicates of them, out of
training data (``optbench.datasets.overlap`` defines the three kinds of overlap).

``code_hash`` and ``normalise_code`` are re-exported from there: two programs that differ
only in comments, docstrings, blank lines or formatting hash the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from optbench.core.problem import Problem
from optbench.datasets.overlap import Overlap, OverlapGuard, code_hash, normalise_code

__all__ = ["EvalGuard", "code_hash", "normalise_code"]


@dataclass
class EvalGuard:
    """Problems held out for evaluation. A training problem is excluded when it has the
    id of one (the same problem under a new version), a copy of one of its sources (the
    same code under another name or dataset), or a near-duplicate of one of them (see
    :mod:`optbench.datasets.overlap`); a training program is also compared with the
    evaluation problems' fast versions."""

    overlap: OverlapGuard = field(default_factory=OverlapGuard)
    sources: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.overlap)

    @property
    def ids(self) -> set[str]:
        return self.overlap.ids

    def add(
        self, problem_id: str | None, slow_source: str | None, fast_source: str | None = None
    ) -> None:
        self.overlap.add(problem_id, slow_source, fast_source)

    def add_dataset(self, spec: str) -> None:
        """Every problem of ``DATASET[:SPLIT]`` (a bare name: the whole dataset)."""
        from optbench.datasets import load_split, parse_dataset_spec

        _, split = parse_dataset_spec(spec)
        dataset, problems = load_split(spec)
        self.overlap.add_problems(problems)
        part = "" if split == "all" else f" split {split}"
        self.sources.append(f"dataset {dataset.name}{part} ({len(problems)} problems)")

    def add_file(self, path: str | Path) -> None:
        """A split file: one problem id a line (``#`` starts a comment), or JSONL records
        with an id (``id``/``problem_id``) and optionally the slow code (``slow_code``,
        ``slow_source`` or PIE's ``input``) and the fast code (``fast_code`` or ``target``)."""
        path = Path(path)
        count = 0
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("{") else raw
            if not line.strip():
                continue
            if line.lstrip().startswith("{"):
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    raise ValueError(f"{path}:{number}: not JSON: {exc}") from exc
                pid = record.get("id") or record.get("problem_id")
                slow = record.get("slow_code") or record.get("slow_source") or record.get("input")
                fast = record.get("fast_code") or record.get("target")
                if not pid and not slow:
                    raise ValueError(f"{path}:{number}: a record needs an id or its slow code")
                self.add(str(pid) if pid else None, str(slow) if slow else None, fast and str(fast))
            else:
                self.add(line, None)
            count += 1
        self.sources.append(f"file {path} ({count} problems)")

    def why(self, problem: Problem, code: str | None = None) -> Overlap | None:
        """Why ``problem`` (with ``code`` proposed for it) must not be trained on, if it must not."""
        return self.overlap.overlap_sources(problem.id, problem.slow_source, code)

    def excludes(self, problem: Problem, code: str | None = None) -> bool:
        return self.why(problem, code) is not None
