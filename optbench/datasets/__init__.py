"""Datasets of problems: the folder format, the loader, and imports from the field's formats."""

from optbench.datasets.errors import ProblemLoadError
from optbench.datasets.loader import (
    Dataset,
    dataset_search_path,
    find_dataset_dir,
    list_datasets,
    load_dataset,
    load_problem,
    resolve_problem,
)

__all__ = [
    "Dataset",
    "ProblemLoadError",
    "dataset_search_path",
    "find_dataset_dir",
    "list_datasets",
    "load_dataset",
    "load_problem",
    "resolve_problem",
]
