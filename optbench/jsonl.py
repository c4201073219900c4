"""Reading JSON-lines files: one place that knows what a malformed line is."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def json_objects(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """``(line number, object)`` for every non-blank line of ``path``, in file order; a
    line that is not a JSON object gives the reason (``not JSON: ...``, ``not a JSON
    object``) in place of the object, so a caller chooses to skip it or stop."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield number, f"not JSON: {exc}"
            continue
        yield number, record if isinstance(record, dict) else "not a JSON object"


def strict_json_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Like :func:`json_objects`, but a malformed line raises ``ValueError`` naming
    ``path:line``."""
    for number, record in json_objects(path):
        if isinstance(record, str):
            raise ValueError(f"{path}:{number}: {record}")
        yield number, record
