"""The root of every error optbench raises on purpose, so a caller can tell them from bugs:
``except OptbenchError`` catches a bad config, dataset, model spec, store or measurement,
and lets anything else through."""

from __future__ import annotations


class OptbenchError(Exception):
    """Something optbench could not do, said in one line."""
