"""A run's configuration: from a TOML file, overridden by command-line options."""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from optbench.datasets.loader import SPLIT_CHOICES, parse_dataset_spec
from optbench.errors import OptbenchError
from optbench.measure.profiles import PROFILES
from optbench.techniques.registry import parse_technique_spec, split_technique_list

PROFILE_NAMES = tuple(PROFILES)
EXECUTOR_NAMES = ("local", "ray")
NO_MODEL = "none"


class ConfigError(OptbenchError, ValueError):
    """A malformed run configuration; the message names the file and the field."""


@dataclass
class RunConfig:
    dataset: str = "optbench-py"
    techniques: list[str] = field(default_factory=lambda: ["identity", "reference"])
    models: list[str] = field(default_factory=list)
    limit: int | None = None
    problems: list[str] = field(default_factory=list)
    profile: str = "quick"
    seed: int = 0
    name: str | None = None
    samples: int = 1
    rounds: int = 3
    tokens: int | None = None
    """Token budget per (technique, model, problem)."""
    max_examples: int | None = None
    """Hypothesis examples per candidate; default depends on the profile."""
    workers: int | None = None
    """Verification processes; default: the number of cores."""
    use_cache: bool = True
    executor: str = "local"
    """Where verification and measurement run: ``local`` or ``ray``."""
    ray_address: str | None = None
    """The Ray cluster to join (``ray`` executor); default: start one on this machine."""
    split: str | None = None
    """The dataset split evaluated: ``eval``, ``train`` or ``all``; default: ``eval`` (a
    dataset without splits is all ``eval``), or ``all`` when ``problems`` names problems."""
    retrieve_from: str | None = None
    """``DATASET[:SPLIT]`` that ``few_shot`` and ``rag`` draw examples from (guarded against
    the evaluated problems), or ``none``; default: the evaluated dataset's train split."""

    def technique_specs(self) -> list[tuple[str, dict[str, Any]]]:
        return [parse_technique_spec(t) for t in self.techniques]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "config") -> RunConfig:
        config = cls()
        config.update(data, source)
        return config

    def update(self, data: dict[str, Any], source: str) -> None:
        known = {f.name: f for f in fields(self)}
        for key, value in data.items():
            if key not in known:
                raise ConfigError(
                    f"{source}: unknown field {key!r}; known: {', '.join(sorted(known))}"
                )
            setattr(self, key, _coerce(key, value, source))
        self.validate(source)

    def validate(self, source: str = "config") -> None:
        if self.profile not in PROFILE_NAMES:
            raise ConfigError(
                f"{source}: field 'profile' must be one of {PROFILE_NAMES}, got {self.profile!r}"
            )
        if self.executor not in EXECUTOR_NAMES:
            raise ConfigError(
                f"{source}: field 'executor' must be one of {EXECUTOR_NAMES}, got {self.executor!r}"
            )
        if self.ray_address is not None:
            if not self.ray_address.strip():
                raise ConfigError(f"{source}: field 'ray_address' is empty")
            if self.executor != "ray":
                raise ConfigError(f"{source}: field 'ray_address' needs executor 'ray'")
        if self.split is not None and self.split not in SPLIT_CHOICES:
            raise ConfigError(
                f"{source}: field 'split' must be one of {SPLIT_CHOICES}, got {self.split!r}"
            )
        if self.retrieve_from is not None and self.retrieve_from != "none":
            try:
                parse_dataset_spec(self.retrieve_from)
            except ValueError as exc:
                raise ConfigError(f"{source}: field 'retrieve_from': {exc}") from None
        if not self.techniques:
            raise ConfigError(f"{source}: field 'techniques' is empty")
        for spec in self.techniques:
            try:
                parse_technique_spec(spec)
            except ValueError as exc:
                raise ConfigError(f"{source}: field 'techniques': {exc}") from exc
        for name in ("limit", "samples", "rounds", "tokens", "max_examples", "workers"):
            value = getattr(self, name)
            if value is not None and value < (0 if name == "limit" else 1):
                raise ConfigError(f"{source}: field {name!r} must be positive, got {value}")


_LIST_FIELDS = {"techniques", "models", "problems"}
_INT_FIELDS = {"limit", "seed", "samples", "rounds", "tokens", "max_examples", "workers"}


def _coerce(key: str, value: Any, source: str) -> Any:
    if key in _LIST_FIELDS:
        if isinstance(value, str):
            return split_technique_list(value)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        raise ConfigError(f"{source}: field {key!r} must be a list of strings, got {value!r}")
    if key in _INT_FIELDS:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{source}: field {key!r} must be an integer, got {value!r}")
        return value
    if key == "use_cache":
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: field 'use_cache' must be true or false, got {value!r}")
        return value
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{source}: field {key!r} must be a string, got {value!r}")
    return value


def load_config(path: str | Path) -> RunConfig:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: bad TOML: {exc}") from exc
    if "run" in data and isinstance(data["run"], dict):
        data = data["run"]
    return RunConfig.from_dict(data, source=str(path))
