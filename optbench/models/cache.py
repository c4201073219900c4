"""Where generations are cached and recorded: in memory (tests) or in optbench's SQL store."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class CallRecord:
    """One model call as recorded: a generated sample, a cache hit, or a failure."""

    cache_key: str
    request_key: str
    model: str
    messages: list[dict[str, str]]
    params: dict[str, Any]
    completion: str
    input_tokens: int
    output_tokens: int
    latency_s: float
    cache_hit: bool
    error: str | None = None
    run_id: int | None = None
    candidate_id: int | None = None


@dataclass(frozen=True)
class CachedGeneration:
    completion: str
    input_tokens: int
    output_tokens: int
    latency_s: float
    model: str
    request_key: str


class GenerationCache(Protocol):
    """Looks up successful generations by cache key and records every call."""

    def get(self, cache_key: str) -> CachedGeneration | None: ...

    def record(self, call: CallRecord) -> int | None:
        """Record a call; returns the record's id where the cache keeps ids."""
        ...


@dataclass
class MemoryCache:
    """A dict-backed cache; ``records`` keeps every call in order, as the store would."""

    records: list[CallRecord] = field(default_factory=list)
    _entries: dict[str, CachedGeneration] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def get(self, cache_key: str) -> CachedGeneration | None:
        with self._lock:
            return self._entries.get(cache_key)

    def record(self, call: CallRecord) -> int:
        with self._lock:
            self.records.append(call)
            if call.error is None and not call.cache_hit:
                self._entries[call.cache_key] = CachedGeneration(
                    completion=call.completion,
                    input_tokens=call.input_tokens,
                    output_tokens=call.output_tokens,
                    latency_s=call.latency_s,
                    model=call.model,
                    request_key=call.request_key,
                )
            return len(self.records)

    def __len__(self) -> int:
        return len(self._entries)


class ModelCallStore(Protocol):
    """The part of ``optbench.store`` the cache needs."""

    def record_model_call(
        self,
        *,
        cache_key: str,
        request_key: str,
        model: str,
        messages: list[dict[str, str]],
        params: dict[str, Any],
        completion: str,
        input_tokens: int,
        output_tokens: int,
        latency_s: float,
        cache_hit: bool,
        error: str | None = None,
        run_id: int | None = None,
        candidate_id: int | None = None,
    ) -> int: ...

    def cached_call(self, cache_key: str) -> Any | None: ...

    def model_calls(self, run_id: int) -> list[Any]: ...


class StoreCache:
    """Adapter over optbench's SQL store: every call becomes a row; hits come from those rows."""

    def __init__(self, store: ModelCallStore) -> None:
        self.store = store

    def get(self, cache_key: str) -> CachedGeneration | None:
        info = self.store.cached_call(cache_key)
        if info is None or getattr(info, "error", None):
            return None
        return CachedGeneration(
            completion=info.completion,
            input_tokens=info.input_tokens,
            output_tokens=info.output_tokens,
            latency_s=info.latency_s,
            model=info.model,
            request_key=info.request_key,
        )

    def record(self, call: CallRecord) -> int:
        return self.store.record_model_call(
            cache_key=call.cache_key,
            request_key=call.request_key,
            model=call.model,
            messages=call.messages,
            params=call.params,
            completion=call.completion,
            input_tokens=call.input_tokens,
            output_tokens=call.output_tokens,
            latency_s=call.latency_s,
            cache_hit=call.cache_hit,
            error=call.error,
            run_id=call.run_id,
            candidate_id=call.candidate_id,
        )
