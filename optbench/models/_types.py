"""Types shared by every model backend: messages, sampling parameters, completions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class Message:
    role: str
    """``system``, ``user`` or ``assistant``."""
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class SamplingParams:
    temperature: float = 0.0
    top_p: float = 1.0
    max_new_tokens: int = 1024
    stop: tuple[str, ...] = ()
    seed: int | None = None
    """Base seed; sample ``i`` of a request is drawn with ``seed + i`` where a backend supports seeds."""

    def __post_init__(self) -> None:
        if isinstance(self.stop, str):
            object.__setattr__(self, "stop", (self.stop,))
        elif not isinstance(self.stop, tuple):
            object.__setattr__(self, "stop", tuple(self.stop))
        if self.temperature < 0:
            raise ValueError(f"temperature must be >= 0, got {self.temperature}")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")
        if self.max_new_tokens < 1:
            raise ValueError(f"max_new_tokens must be >= 1, got {self.max_new_tokens}")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["stop"] = list(self.stop)
        return data

    def for_sample(self, index: int) -> SamplingParams:
        """The parameters sample ``index`` is drawn with: the seed shifted so samples differ."""
        if self.seed is None or index == 0:
            return self
        return SamplingParams(
            temperature=self.temperature,
            top_p=self.top_p,
            max_new_tokens=self.max_new_tokens,
            stop=self.stop,
            seed=self.seed + index,
        )


@dataclass(frozen=True)
class Completion:
    text: str
    input_tokens: int
    output_tokens: int
    latency_s: float
    cache_hit: bool
    model: str
    error: str | None = None
    """Set when the call failed (server down, garbage reply); ``text`` is then empty."""
    call_id: int | None = None
    """The id the store gave this call's record, to link it to the candidate it produced."""

    @property
    def ok(self) -> bool:
        return self.error is None


@runtime_checkable
class ModelBackend(Protocol):
    """Turns chat messages into ``n`` sampled completions.

    A backend raises on failure; :class:`~optbench.models.CachedModel` turns failures into
    completions with ``error`` set, retries transient ones and caches the rest.
    """

    spec: str

    def generate(
        self, messages: list[Message], params: SamplingParams, n: int = 1
    ) -> list[Completion]: ...


@runtime_checkable
class SampleAwareBackend(ModelBackend, Protocol):
    """A backend that draws several given samples of one request in one call.

    Local models batch the samples; scripted and replayed backends keep their order. Other
    backends get one ``generate(n=1)`` call per sample, run concurrently.
    """

    def generate_samples(
        self, messages: list[Message], params: SamplingParams, samples: Sequence[int]
    ) -> list[Completion]: ...


@runtime_checkable
class BatchingBackend(SampleAwareBackend, Protocol):
    """A backend that draws the samples of several requests in one call (a local model's
    padded batch): :meth:`CachedModel.batch <optbench.models.CachedModel.batch>` sends it
    every request it cannot serve from the cache at once."""

    def generate_batch(
        self, requests: Sequence[tuple[list[Message], Sequence[int]]], params: SamplingParams
    ) -> list[list[Completion]]: ...


def as_messages(messages: Sequence[Message | dict[str, str] | tuple[str, str]]) -> list[Message]:
    """Accept ``Message`` objects, ``{"role", "content"}`` dicts or ``(role, content)`` pairs."""
    out: list[Message] = []
    for m in messages:
        if isinstance(m, Message):
            out.append(m)
        elif isinstance(m, dict):
            out.append(Message(m["role"], m["content"]))
        else:
            role, content = m
            out.append(Message(role, content))
    return out


def truncate_at_stop(text: str, stop: Sequence[str]) -> str:
    """Cut ``text`` at the earliest occurrence of any stop string (the stop string excluded)."""
    cut = len(text)
    for s in stop:
        if s:
            i = text.find(s)
            if i != -1:
                cut = min(cut, i)
    return text[:cut]
