"""Cache keys: a hash of the full request, sample index included.

The sample index is part of the key so that ``n`` samples drawn at temperature > 0 stay ``n``
distinct cached samples (a plain prompt+params key collapses them into one), and a rerun of
the same run is served entirely from the cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from optbench.models._types import Message, SamplingParams


def _digest(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _request(messages: Sequence[Message], params: SamplingParams, sample: int) -> dict[str, Any]:
    return {
        "messages": [m.to_dict() for m in messages],
        "params": params.to_dict(),
        "sample": sample,
    }


def cache_key(spec: str, messages: Sequence[Message], params: SamplingParams, sample: int) -> str:
    """Key of one sample of one request to one model."""
    return _digest({"model": spec, **_request(messages, params, sample)})


def request_key(messages: Sequence[Message], params: SamplingParams, sample: int) -> str:
    """Key of one sample of one request, whatever the model: what a replay looks up."""
    return _digest(_request(messages, params, sample))
