"""What a generation costs when one backend call draws several samples, and which weights
a cached generation came from."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from optbench.models import CachedModel, FakeModel, MemoryCache, Message, SamplingParams
from optbench.models.fake import count_tokens
from optbench.models.keys import FULL_HASH_BYTES, cache_key, checkpoint_fingerprint

USER = [Message("system", "You optimize Python."), Message("user", "def f(): return 1")]
HOT = SamplingParams(temperature=0.8, seed=7)


def test_samples_of_one_call_share_its_prompt_and_time() -> None:
    backend = FakeModel(reply_fn=lambda msgs: "one two three")
    model = CachedModel(backend, MemoryCache())
    out = model.generate(USER, HOT, n=3)
    assert backend.calls == 1
    prompt = sum(count_tokens(m.content) for m in USER)
    assert sum(c.input_tokens for c in out) == prompt
    assert [c.output_tokens for c in out] == [3, 3, 3]
    assert len({c.latency_s for c in out}) == 1 and out[0].latency_s > 0
    records = model.cache.records
    assert [(r.input_tokens, r.output_tokens) for r in records] == [
        (c.input_tokens, c.output_tokens) for c in out
    ]
    again = model.generate(USER, HOT, n=3)  # served from the cache: the same shares
    assert [(c.input_tokens, c.latency_s) for c in again] == [
        (c.input_tokens, c.latency_s) for c in out
    ]
    assert model.call_ids == list(range(1, 7))


def test_a_plain_call_keeps_its_whole_cost() -> None:
    model = CachedModel(FakeModel(reply_fn=lambda msgs: "x"), MemoryCache())
    (c,) = model.generate(USER, HOT)
    assert c.input_tokens == sum(count_tokens(m.content) for m in USER)


def _checkpoint(folder: Path, weights: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text('{"hidden_size": 32}')
    (folder / "model.safetensors").write_bytes(weights)
    (folder / "runs").mkdir(exist_ok=True)
    return folder


def test_fingerprint_follows_the_weights_not_the_folder(tmp_path: Path) -> None:
    size = 3 * FULL_HASH_BYTES + 123
    folder = _checkpoint(tmp_path / "ckpt", bytes(size))
    first = checkpoint_fingerprint(folder)
    assert checkpoint_fingerprint(folder) == first
    (folder / "runs" / "events.log").write_text("training logs are not weights")
    assert checkpoint_fingerprint(folder) == first

    weights = folder / "model.safetensors"
    stamp = weights.stat().st_mtime_ns
    changed = bytearray(size)
    changed[size // 2] = 1  # same size, same time: only the content tells
    weights.write_bytes(bytes(changed))
    os.utime(weights, ns=(stamp, stamp))
    assert checkpoint_fingerprint(folder) != first

    weights.write_bytes(bytes(size))
    os.utime(weights, ns=(stamp, stamp))
    assert checkpoint_fingerprint(folder) == first
    os.utime(weights, ns=(stamp + 1_000_000_000, stamp + 1_000_000_000))  # rewritten later
    assert checkpoint_fingerprint(folder) != first


def test_weights_fingerprint_is_part_of_the_cache_key() -> None:
    cache = MemoryCache()
    backend = FakeModel(reply_fn=lambda msgs: f"reply {len(backend.requests)}", spec="hf:/m")
    backend.fingerprint = "weights-a"  # type: ignore[attr-defined]
    assert not CachedModel(backend, cache).generate(USER, HOT)[0].cache_hit
    assert CachedModel(backend, cache).generate(USER, HOT)[0].cache_hit
    backend.fingerprint = "weights-b"  # type: ignore[attr-defined]
    fresh = CachedModel(backend, cache).generate(USER, HOT)[0]
    assert not fresh.cache_hit and fresh.text == "reply 2"
    # a backend that knows no weights keeps the keys it always had
    assert cache_key("fake:a", USER, HOT, 0) == cache_key("fake:a", USER, HOT, 0, None)
    plain = FakeModel(replies=["a"], spec="fake:a")
    CachedModel(plain, cache).generate(USER, HOT)
    assert cache.records[-1].cache_key == cache_key("fake:a", USER, HOT, 0)


@pytest.mark.slow
def test_retraining_into_the_same_folder_misses_the_cache(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("tokenizers")
    from optbench.models import load_model

    from .tiny_lm import build_tiny_lm

    folder = build_tiny_lm(tmp_path / "checkpoint", seed=0)
    cache = MemoryCache()
    greedy = SamplingParams(max_new_tokens=8)

    def generate() -> tuple[str, bool, str]:
        backend = load_model(f"hf:{folder}", device="cpu")
        (c,) = CachedModel(backend, cache).generate(USER, greedy)
        (direct,) = backend.generate(USER, greedy)
        return c.text, c.cache_hit, direct.text

    text, hit, _ = generate()
    assert not hit
    assert generate()[:2] == (text, True)  # the same checkpoint, loaded again: a hit

    build_tiny_lm(folder, seed=1)  # new weights, same folder, same spec
    text, hit, direct = generate()
    assert not hit and text == direct
    assert generate()[:2] == (text, True)
