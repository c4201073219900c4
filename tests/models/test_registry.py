import importlib.util
import sys
from dataclasses import dataclass, field
from itertools import count

import pytest

from optbench.models import (
    CachedModel,
    FakeModel,
    MemoryCache,
    Message,
    MissingExtraError,
    ReplayMiss,
    SamplingParams,
    SpecError,
    StoreCache,
    describe_backends,
    find_preset,
    load_model,
    presets,
)

needs_langchain = pytest.mark.skipif(
    importlib.util.find_spec("langchain_openai") is None
    or importlib.util.find_spec("langchain_ollama") is None,
    reason="needs the models extra: pip install 'optbench[models]'",
)
USER = [Message("user", "speed up: def f(n): return sum(range(n))")]
HOT = SamplingParams(temperature=0.8)


def test_describe_backends_lists_every_backend():
    names = [syntax.split(":")[0] for syntax, _ in describe_backends()]
    assert names == ["openai", "ollama", "langchain", "hf", "replay", "fake"]


@pytest.mark.parametrize(
    "spec", ["nope:model", "gpt-4", "openai:", "langchain:openai", "replay:abc"]
)
def test_bad_specs(spec):
    with pytest.raises(SpecError):
        load_model(spec, store=object())


def test_presets_cover_the_coder_models():
    names = set(presets())
    assert {
        "deepseek-coder-v2-lite-instruct",
        "deepseek-coder-1.3b-instruct",
        "deepseek-coder-6.7b-instruct",
        "codellama-7b-instruct",
        "codellama-13b-instruct",
        "codellama-34b-instruct",
    } <= names
    assert {f"qwen2.5-coder-{s}-instruct" for s in ("0.5b", "1.5b", "7b", "14b", "32b")} <= names
    for p in presets().values():
        assert p.context_length >= (8192 if p.family == "smollm2" else 16384)
        assert p.stop and p.sampling.stop == p.stop
        assert "/" in p.hf_id


@pytest.mark.parametrize(
    "name",
    ["qwen2.5-coder-7b-instruct", "Qwen/Qwen2.5-Coder-7B-Instruct", "Qwen2.5-Coder-7B-Instruct"],
)
def test_find_preset_by_name_or_hub_id(name):
    assert find_preset(name).hf_id == "Qwen/Qwen2.5-Coder-7B-Instruct"
    assert find_preset("my-own-model") is None


@needs_langchain
def test_openai_spec(monkeypatch):
    monkeypatch.setenv("MY_KEY", "sk-secret")
    model = load_model("openai:some-model@http://127.0.0.1:9/v1", api_key_env="MY_KEY", timeout=5)
    chat = model.chat_model
    assert chat.model_name == "some-model"
    assert chat.openai_api_base == "http://127.0.0.1:9/v1"
    assert chat.openai_api_key.get_secret_value() == "sk-secret"
    assert chat.max_retries == 0
    assert "secret" not in model.spec and model.default_params is None


@needs_langchain
def test_openai_spec_without_key_uses_empty(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    chat = load_model("openai:m", base_url="http://127.0.0.1:9/v1").chat_model
    assert chat.openai_api_key.get_secret_value() == "EMPTY"
    assert chat.openai_api_base == "http://127.0.0.1:9/v1"


@needs_langchain
def test_preset_fills_model_id_stop_and_sampling():
    model = load_model("openai:deepseek-coder-6.7b-instruct@http://127.0.0.1:9/v1")
    assert model.chat_model.model_name == "deepseek-ai/deepseek-coder-6.7b-instruct"
    assert model.default_params.stop == ("<|EOT|>",)
    assert CachedModel(model).default_params.top_p == 0.95


@needs_langchain
def test_sampling_params_applied_per_call():
    model = load_model("openai:m@http://127.0.0.1:9/v1")
    chat = model._with_params(SamplingParams(temperature=0.3, top_p=0.9, max_new_tokens=77, seed=5))
    assert (chat.temperature, chat.top_p, chat.max_tokens, chat.seed) == (0.3, 0.9, 77, 5)
    assert model.chat_model.temperature is None


@needs_langchain
def test_ollama_spec_uses_preset_tag():
    model = load_model("ollama:qwen2.5-coder-1.5b-instruct")
    assert model.chat_model.model == "qwen2.5-coder:1.5b"
    chat = model._with_params(SamplingParams(max_new_tokens=12))
    assert chat.num_predict == 12


@needs_langchain
def test_langchain_spec_uses_init_chat_model():
    model = load_model("langchain:openai:gpt-x", base_url="http://127.0.0.1:9/v1", api_key="EMPTY")
    assert type(model.chat_model).__name__ == "ChatOpenAI"
    assert model.spec == "langchain:openai:gpt-x"


def test_missing_extra_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "langchain_openai", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'optbench\[models\]'"):
        load_model("openai:m")


@needs_langchain
def test_unreachable_server_gives_error_completion():
    backend = load_model("openai:m@http://127.0.0.1:9/v1", timeout=2)
    model = CachedModel(backend, MemoryCache(), retries=1, sleep=lambda s: None)
    (c,) = model.generate(USER)
    assert not c.ok and "Connection" in c.error
    assert model.cache.records[0].error == c.error


@dataclass
class CallRow:
    id: int
    run_id: int | None
    cache_key: str
    request_key: str
    model: str
    completion: str
    input_tokens: int
    output_tokens: int
    latency_s: float
    cache_hit: bool
    error: str | None


@dataclass
class DictStore:
    """The three store methods the cache and replay use, in memory."""

    rows: list[CallRow] = field(default_factory=list)
    ids: count = field(default_factory=lambda: count(1))

    def record_model_call(self, *, messages, params, candidate_id=None, **kw):
        self.rows.append(CallRow(id=next(self.ids), **kw))
        return self.rows[-1].id

    def cached_call(self, cache_key):
        ok = [r for r in self.rows if r.cache_key == cache_key and r.error is None]
        return ok[-1] if ok else None

    def model_calls(self, run_id):
        return [r for r in self.rows if r.run_id == run_id]


def test_store_cache_adapter_and_replay():
    store = DictStore()
    backend = FakeModel(replies=["a", "b", "c"], spec="fake:original")
    model = CachedModel(backend, StoreCache(store), run_id=1)
    first = model.generate(USER, HOT, n=3)
    assert [c.call_id for c in first] == [1, 2, 3]
    again = CachedModel(FakeModel(replies=[]), StoreCache(store), run_id=2)
    again.backend.spec = "fake:original"
    assert all(c.cache_hit for c in again.generate(USER, HOT, n=3))

    replay = load_model("replay:1", store=store)
    replayed = CachedModel(replay, MemoryCache()).generate(USER, HOT, n=3)
    assert [c.text for c in replayed] == ["a", "b", "c"]
    assert all(c.model == "fake:original" for c in replayed)
    with pytest.raises(ReplayMiss, match="never recorded sample 3"):
        CachedModel(replay, MemoryCache()).generate(USER, HOT, n=4)
    with pytest.raises(ReplayMiss):
        replay.generate([Message("user", "something else")], HOT)


def test_replay_needs_a_store():
    with pytest.raises(SpecError, match="store="):
        load_model("replay:1")


def test_with_the_real_store(tmp_path):
    store_mod = pytest.importorskip("optbench.store")
    store = store_mod.open_store(f"sqlite:///{tmp_path / 'runs.db'}")
    try:
        run_id = store.create_run(
            name="t", dataset="d", dataset_version="1", dataset_hash="h", config={}, environment={}
        )
        backend = FakeModel(replies=["x = 1", "x = 2"], spec="fake:store")
        model = CachedModel(backend, StoreCache(store), run_id=run_id)
        out = model.generate(USER, HOT, n=2)
        assert [c.cache_hit for c in model.generate(USER, HOT, n=2)] == [True, True]
        assert backend.calls == 1
        calls = store.model_calls(run_id)
        assert [c.cache_hit for c in calls] == [False, False, True, True]
        assert calls[0].id == out[0].call_id and calls[0].params["temperature"] == 0.8
        replayed = CachedModel(load_model(f"replay:{run_id}", store=store)).generate(USER, HOT, n=2)
        assert [c.text for c in replayed] == ["x = 1", "x = 2"]
    finally:
        store.close()
