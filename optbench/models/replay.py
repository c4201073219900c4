"""Serve the completions a stored run recorded, matched by request (model spec excluded)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from optbench.models._types import Completion, Message, SamplingParams
from optbench.models.cache import ModelCallStore
from optbench.models.errors import ReplayMiss
from optbench.models.keys import request_key


class ReplayModel:
    """Replays run ``run_id``: sample ``i`` of a request gets the completion recorded for
    sample ``i`` of the same messages and sampling parameters, whatever model produced it."""

    def __init__(self, store: ModelCallStore, run_id: int, spec: str | None = None) -> None:
        self.run_id = run_id
        self.spec = spec or f"replay:{run_id}"
        self._calls: dict[str, Any] = {}
        for call in store.model_calls(run_id):
            if getattr(call, "error", None):
                continue
            self._calls.setdefault(call.request_key, call)

    def __len__(self) -> int:
        return len(self._calls)

    def generate(
        self, messages: list[Message], params: SamplingParams, n: int = 1
    ) -> list[Completion]:
        return self.generate_samples(messages, params, range(n))

    def generate_samples(
        self, messages: list[Message], params: SamplingParams, samples: Sequence[int]
    ) -> list[Completion]:
        out = []
        for i in samples:
            key = request_key(messages, params, i)
            call = self._calls.get(key)
            if call is None:
                raise ReplayMiss(
                    f"run {self.run_id} never recorded sample {i} of this request "
                    f"(request_key {key[:16]}…, {len(self._calls)} requests recorded); "
                    "replay needs the same messages and sampling parameters"
                )
            out.append(
                Completion(
                    text=call.completion,
                    input_tokens=call.input_tokens,
                    output_tokens=call.output_tokens,
                    latency_s=call.latency_s,
                    cache_hit=False,
                    model=call.model,
                )
            )
        return out
