"""Cache keys: a hash of the full request, sample index included.

The sample index is part of the key so that ``n`` samples drawn at temperature > 0 stay ``n``
distinct cached samples (a plain prompt+params key collapses them into one), and a rerun of
the same run is served entirely from the cache.

A model spec names a model, not its weights: ``hf:DIR`` stays the same spec when a training
run writes new weights into ``DIR``. Backends that know which weights they loaded give a
fingerprint of them (:func:`checkpoint_fingerprint`), and the key includes it, so a changed
checkpoint misses the cache and an unchanged one hits.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
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


def cache_key(
    spec: str,
    messages: Sequence[Message],
    params: SamplingParams,
    sample: int,
    weights: str | None = None,
) -> str:
    """Key of one sample of one request to one model; ``weights`` is the fingerprint of the
    weights the model loaded, where its backend knows it (keys without one are unchanged)."""
    payload = {"model": spec, **_request(messages, params, sample)}
    if weights is not None:
        payload["weights"] = weights
    return _digest(payload)


def request_key(messages: Sequence[Message], params: SamplingParams, sample: int) -> str:
    """Key of one sample of one request, whatever the model: what a replay looks up."""
    return _digest(_request(messages, params, sample))


FULL_HASH_BYTES = 1 << 20
"""Files up to this size (configs, tokenizers, indexes, small adapters) are hashed whole."""
WINDOW_BYTES = 1 << 20
"""Larger files (the weights) contribute this many bytes at their start, middle and end."""


def checkpoint_fingerprint(path: str | Path) -> str:
    """A fingerprint of the checkpoint in folder ``path``, cheap even for large weights.

    Every regular file directly in the folder (``from_pretrained`` reads no subfolder)
    contributes its name, size and modification time in nanoseconds; files up to
    :data:`FULL_HASH_BYTES` contribute their content, larger ones three windows of
    :data:`WINDOW_BYTES` (start, middle, end). Writing new weights into the folder changes
    the times (and, where the filesystem's clock is coarse, the sampled content) at the cost
    of reading a few MiB per file, whatever the model's size. The error is on the safe
    side: a copy of an unchanged checkpoint (new times) misses the cache once and
    regenerates, a changed checkpoint is never served old generations.
    """
    root = Path(path)
    digest = hashlib.sha256()
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if not entry.is_file():
            continue
        info = entry.stat()
        digest.update(json.dumps([entry.name, info.st_size, info.st_mtime_ns]).encode())
        with open(entry.path, "rb") as fh:
            if info.st_size <= FULL_HASH_BYTES:
                digest.update(fh.read())
                continue
            for offset in (0, (info.st_size - WINDOW_BYTES) // 2, info.st_size - WINDOW_BYTES):
                fh.seek(offset)
                digest.update(fh.read(WINDOW_BYTES))
    return digest.hexdigest()
