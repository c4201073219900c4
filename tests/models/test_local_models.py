"""The ``hf:`` backend on a tiny local model, and ``openai:`` against a real
``transformers serve`` serving it. Slow: each builds or loads a model and imports torch."""

from __future__ import annotations

from pathlib import Path

import pytest

from optbench.models import (
    Budget,
    CachedModel,
    MemoryCache,
    Message,
    SamplingParams,
    load_model,
)

pytestmark = pytest.mark.slow

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("tokenizers")

from .tiny_lm import build_tiny_lm  # noqa: E402
from .transformers_server import free_port, serve  # noqa: E402

PROMPT = [
    Message("system", "You make Python code faster."),
    Message("user", "def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s"),
]


@pytest.fixture(scope="module")
def tiny_lm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_lm(tmp_path_factory.mktemp("tiny") / "tiny-lm")


@pytest.fixture(scope="module")
def hf_model(tiny_lm: Path):
    return load_model(f"hf:{tiny_lm}", device="cpu")


def test_hf_generates_n_samples_with_token_counts(hf_model, tiny_lm):
    model = CachedModel(hf_model, MemoryCache())
    params = SamplingParams(temperature=1.0, max_new_tokens=12, seed=3)
    out = model.generate(PROMPT, params, n=3)
    prompt, _ = hf_model.render(PROMPT)
    n_in = len(hf_model.tokenizer(prompt, add_special_tokens=False).input_ids)
    assert len(out) == 3
    assert all(c.ok and not c.cache_hit for c in out)
    assert sum(c.input_tokens for c in out) == n_in  # one prompt, shared by the samples
    assert all(1 <= c.output_tokens <= 12 for c in out)
    assert len({c.text for c in out}) > 1
    assert prompt.startswith("<|im_start|>system\nYou make")
    again = model.generate(PROMPT, params, n=3)
    assert [c.text for c in again] == [c.text for c in out]
    assert all(c.cache_hit for c in again)


def test_hf_reply_cut_to_the_context_window_and_too_long_prompt_fails(hf_model):
    """The tiny checkpoint attends to 2048 positions: a reply gets what the prompt leaves,
    and a prompt with no room left fails the call (never silently cut)."""
    window = hf_model.context_length
    assert window == 2048

    def ask(words: int) -> list[Message]:
        return [Message("user", "def f(x): return x " * words)]

    per_word = hf_model.prompt_tokens(ask(101)) - hf_model.prompt_tokens(ask(100))
    words = 100 + (window - 8 - hf_model.prompt_tokens(ask(100))) // per_word
    n_in = hf_model.prompt_tokens(ask(words))
    assert window - 8 - per_word < n_in <= window - 8
    hot = SamplingParams(temperature=1.0, max_new_tokens=64, seed=1)
    (reply,) = hf_model.generate(ask(words), hot)
    assert reply.input_tokens == n_in and reply.output_tokens <= window - n_in
    (failed,) = CachedModel(hf_model, MemoryCache()).generate(ask(words + 20), hot)
    assert not failed.ok and "PromptTooLong" in failed.error
    assert "2048-token context window" in failed.error


def test_hf_seed_makes_samples_reproducible(hf_model):
    params = SamplingParams(temperature=0.9, top_p=0.9, max_new_tokens=8, seed=11)
    first = [c.text for c in hf_model.generate(PROMPT, params, n=2)]
    assert [c.text for c in hf_model.generate(PROMPT, params, n=2)] == first


def test_hf_greedy_and_stop_strings(hf_model):
    greedy = SamplingParams(max_new_tokens=24)
    (full,) = hf_model.generate(PROMPT, greedy)
    assert full.output_tokens >= 4, full
    stop = full.text.strip()[2:5]
    (cut,) = hf_model.generate(PROMPT, SamplingParams(max_new_tokens=24, stop=(stop,)))
    assert cut.text == full.text[: full.text.index(stop)]
    assert cut.output_tokens <= full.output_tokens
    two = hf_model.generate(PROMPT, greedy, n=2)
    assert two[0].text == two[1].text == full.text


def test_hf_plain_rendering_without_chat_template(hf_model):
    template = hf_model.tokenizer.chat_template
    hf_model.tokenizer.chat_template = None
    try:
        prompt, add_special = hf_model.render(PROMPT)
        assert prompt.startswith("system: You make Python code faster.\nuser: def total")
        assert prompt.endswith("\nassistant:") and add_special
        assert hf_model.generate(PROMPT, SamplingParams(max_new_tokens=4))[0].output_tokens >= 1
    finally:
        hf_model.tokenizer.chat_template = template


def test_hf_lora_adapter_dir(tiny_lm, tmp_path):
    peft = pytest.importorskip("peft")
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(tiny_lm)
    lora = peft.get_peft_model(
        base, peft.LoraConfig(r=2, lora_alpha=4, target_modules=["q_proj", "v_proj"])
    )
    lora.save_pretrained(tmp_path / "adapter")
    model = load_model(f"hf:{tmp_path / 'adapter'}", device="cpu")
    assert isinstance(model.model, peft.PeftModel)
    (c,) = model.generate(PROMPT, SamplingParams(max_new_tokens=6))
    assert c.ok and c.output_tokens >= 1


@pytest.fixture(scope="module")
def served(tiny_lm: Path, tmp_path_factory: pytest.TempPathFactory):
    """``transformers serve`` preloading the tiny model on a free loopback port."""
    with serve(tiny_lm, tmp_path_factory.mktemp("serve") / "serve.log") as url:
        yield url


def test_openai_backend_against_transformers_serve(served, tiny_lm):
    pytest.importorskip("langchain_openai")
    backend = load_model(f"openai:{tiny_lm}@{served}", timeout=120)
    budget = Budget(max_calls=10)
    model = CachedModel(backend, MemoryCache(), budget=budget, max_concurrency=2)
    params = SamplingParams(temperature=0.8, max_new_tokens=8, seed=5)
    out = model.generate(PROMPT, params, n=2)
    assert all(c.ok for c in out), [c.error for c in out]
    assert all(c.text for c in out)
    assert all(c.input_tokens > 0 and 1 <= c.output_tokens <= 8 for c in out)
    assert all(c.latency_s > 0 for c in out)
    records = model.cache.records
    assert [(r.input_tokens, r.output_tokens) for r in records] == [
        (c.input_tokens, c.output_tokens) for c in out
    ]
    assert budget.calls == 2
    assert budget.tokens == sum(c.input_tokens + c.output_tokens for c in out)
    again = model.generate(PROMPT, params, n=2)
    assert all(c.cache_hit for c in again) and budget.calls == 2


def test_served_greedy_matches_local_greedy(served, tiny_lm, hf_model):
    pytest.importorskip("langchain_openai")
    backend = load_model(f"openai:{tiny_lm}@{served}", timeout=120)
    greedy = SamplingParams(max_new_tokens=10)
    (remote,) = backend.generate(PROMPT, greedy)
    (local,) = hf_model.generate(PROMPT, greedy)
    assert remote.text == local.text
    assert (remote.input_tokens, remote.output_tokens) == (local.input_tokens, local.output_tokens)


def test_server_down_gives_error_completions(tiny_lm):
    pytest.importorskip("langchain_openai")
    backend = load_model(f"openai:{tiny_lm}@http://127.0.0.1:{free_port()}/v1", timeout=5)
    model = CachedModel(backend, MemoryCache(), retries=1, backoff_s=0.01)
    out = model.generate(PROMPT, SamplingParams(), n=2)
    assert all(not c.ok and "Connection" in c.error for c in out)
