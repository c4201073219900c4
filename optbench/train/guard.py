"""Normalised code hashes and the guard that keeps evaluation problems out of training data.

Two programs that differ only in comments, blank lines or formatting hash the same:
the code is parsed and unparsed (``ast.unparse`` drops comments and normalises layout);
code that does not parse falls back to its whitespace-collapsed text.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from optbench.core.problem import Problem


def normalise_code(code: str) -> str:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return re.sub(r"\s+", " ", code).strip()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
            and len(body) > 1
        ):
            del body[0]
    return ast.unparse(tree)


def code_hash(code: str) -> str:
    """SHA-256 of the normalised code (docstrings, comments and layout ignored)."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


@dataclass
class EvalGuard:
    """Problems held out for evaluation, matched by id and by normalised slow-source hash.

    A training problem is excluded when either matches: the id catches the same problem
    under a new version, the hash catches the same code under another name or dataset.
    """

    ids: set[str] = field(default_factory=set)
    slow_hashes: set[str] = field(default_factory=set)
    sources: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.ids or self.slow_hashes)

    def add(self, problem_id: str | None, slow_source: str | None) -> None:
        if problem_id:
            self.ids.add(problem_id)
        if slow_source:
            self.slow_hashes.add(code_hash(slow_source))

    def add_dataset(self, name: str) -> None:
        from optbench.datasets import load_dataset

        dataset = load_dataset(name)
        for problem in dataset.problems:
            self.add(problem.id, problem.slow_source)
        self.sources.append(f"dataset {dataset.name} ({len(dataset.problems)} problems)")

    def add_file(self, path: str | Path) -> None:
        """A split file: one problem id a line (``#`` starts a comment), or JSONL records
        with an id (``id``/``problem_id``) and optionally the slow code (``slow_code``,
        ``slow_source`` or PIE's ``input``)."""
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
                if not pid and not slow:
                    raise ValueError(f"{path}:{number}: a record needs an id or its slow code")
                self.add(str(pid) if pid else None, str(slow) if slow else None)
            else:
                self.add(line, None)
            count += 1
        self.sources.append(f"file {path} ({count} problems)")

    def excludes(self, problem: Problem) -> bool:
        return problem.id in self.ids or code_hash(problem.slow_source) in self.slow_hashes
