"""Errors raised by model backends and the caching layer."""

from __future__ import annotations

from optbench.errors import OptbenchError


class ModelError(OptbenchError):
    """Base class of errors raised by ``optbench.models``."""


class MissingExtraError(ModelError, ImportError):
    """A backend needs an optional dependency that is not installed."""

    def __init__(self, backend: str, extra: str, module: str) -> None:
        super().__init__(
            f"the {backend!r} backend needs {module!r}; install it with: pip install 'optbench[{extra}]'"
        )


class SpecError(ModelError, ValueError):
    """A model spec string cannot be parsed or names no known backend."""


class ScriptExhausted(ModelError):
    """A scripted fake model was asked for more replies than it was given."""


class ReplayMiss(ModelError, LookupError):
    """A replayed run never recorded the requested call."""


class BudgetExceeded(ModelError):
    """The run's call or token budget is spent; a technique catches this and stops cleanly."""
