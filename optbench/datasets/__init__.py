"""Datasets of problems: the folder format, the loader, and imports from the field's formats."""

from optbench.datasets.errors import ProblemLoadError
from optbench.datasets.loader import (
    SPLIT_CHOICES,
    SPLITS,
    Dataset,
    dataset_search_path,
    find_dataset_dir,
    list_datasets,
    load_dataset,
    load_problem,
    load_split,
    parse_dataset_spec,
    read_splits,
    resolve_problem,
)

__all__ = [
    "SPLITS",
    "SPLIT_CHOICES",
    "Dataset",
    "ProblemLoadError",
    "dataset_search_path",
    "find_dataset_dir",
    "list_datasets",
    "load_dataset",
    "load_problem",
    "load_split",
    "parse_dataset_spec",
    "read_splits",
    "resolve_problem",
]
