"""The importer registry: each format module registers one :class:`Importer` under its
name; ``optbench datasets import FORMAT`` looks the name up here and lists them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from optbench.datasets.errors import ProblemLoadError
from optbench.datasets.importers.common import ImportOptions, ProblemFiles

Load = Callable[[Path, ImportOptions], tuple[list[ProblemFiles], list[ProblemLoadError]]]


@dataclass(frozen=True)
class Importer:
    name: str
    summary: str
    """One line for ``--help``: what a record holds and what it becomes."""
    load: Load
    """Records → problem files, plus one error per record that cannot be imported."""
    needs_tests_dir: bool = False
    """Whether the format keeps its test cases in a folder of their own (``--tests``)."""


IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    if importer.name in IMPORTERS:
        raise ValueError(f"an importer named {importer.name!r} is registered already")
    IMPORTERS[importer.name] = importer
    return importer


def get_importer(name: str) -> Importer:
    try:
        return IMPORTERS[name]
    except KeyError:
        known = ", ".join(sorted(IMPORTERS))
        raise KeyError(f"no importer named {name!r}; known: {known}") from None
