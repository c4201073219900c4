from __future__ import annotations

from pathlib import Path

from optbench.errors import OptbenchError


class ProblemLoadError(OptbenchError):
    """A malformed problem: names the file and, where it applies, the field."""

    def __init__(self, path: Path | str, message: str, field: str | None = None) -> None:
        self.path = Path(path)
        self.field = field
        self.message = message
        where = f"{self.path}" + (f": field '{field}'" if field else "")
        super().__init__(f"{where}: {message}")


class DatasetNotFound(OptbenchError, FileNotFoundError):
    """No dataset by that name on the search path and no dataset folder at that path."""
