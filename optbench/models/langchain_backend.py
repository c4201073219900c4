"""Chat models through LangChain: OpenAI-compatible servers, Ollama, anything ``init_chat_model`` knows."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

from optbench.models._types import Completion, Message, SamplingParams, truncate_at_stop
from optbench.models.errors import MissingExtraError
from optbench.models.fake import count_tokens
from optbench.models.presets import Preset

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

# Sampling parameter -> the field names chat model classes use for it, first match wins.
_FIELDS: dict[str, tuple[str, ...]] = {
    "temperature": ("temperature",),
    "top_p": ("top_p",),
    "max_new_tokens": ("max_tokens", "num_predict", "max_output_tokens", "max_new_tokens"),
    "seed": ("seed", "random_seed"),
}


class LangChainModel:
    """Any LangChain chat model as a backend: one ``invoke`` per sample.

    Sampling parameters are applied per call on a shallow copy of the chat model (the HTTP
    client is shared), so one backend serves any mix of parameters concurrently.
    """

    def __init__(self, chat_model: BaseChatModel, spec: str, preset: Preset | None = None) -> None:
        self.chat_model = chat_model
        self.spec = spec
        self.preset = preset
        self.default_params = preset.sampling if preset else None

    def generate(
        self, messages: list[Message], params: SamplingParams, n: int = 1
    ) -> list[Completion]:
        stop = self.preset.merged_stop(params.stop) if self.preset else params.stop
        model = self._with_params(params)
        lc_messages = _to_langchain(messages)
        out = []
        for i in range(n):
            if i and params.seed is not None:
                model = self._with_params(params.for_sample(i))
            start = time.perf_counter()
            reply = model.invoke(lc_messages, stop=list(stop) or None)
            latency = time.perf_counter() - start
            text = truncate_at_stop(str(reply.text), stop)
            inp, outp = _usage(reply, messages, text)
            out.append(Completion(text, inp, outp, latency, cache_hit=False, model=self.spec))
        return out

    def _with_params(self, params: SamplingParams) -> BaseChatModel:
        fields = type(self.chat_model).model_fields
        values: dict[str, Any] = {
            "temperature": params.temperature,
            "top_p": params.top_p,
            "max_new_tokens": params.max_new_tokens,
            "seed": params.seed,
        }
        update = {}
        for name, value in values.items():
            if value is None:
                continue
            field = next((f for f in _FIELDS[name] if f in fields), None)
            if field is not None:
                update[field] = value
        return self.chat_model.model_copy(update=update)


def _to_langchain(messages: list[Message]) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    out: list[BaseMessage] = []
    for m in messages:
        if m.role not in kinds:
            raise ValueError(f"unknown message role {m.role!r} (expected one of {sorted(kinds)})")
        out.append(kinds[m.role](content=m.content))
    return out


def _usage(reply: BaseMessage, messages: list[Message], text: str) -> tuple[int, int]:
    """Token counts as the server reported them; a whitespace estimate when it reported none."""
    usage = getattr(reply, "usage_metadata", None)
    if usage:
        return int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0))
    token_usage = reply.response_metadata.get("token_usage") or {}
    if token_usage:
        return int(token_usage.get("prompt_tokens", 0)), int(
            token_usage.get("completion_tokens", 0)
        )
    return sum(count_tokens(m.content) for m in messages), count_tokens(text)


def _require(module: str, package: str, backend: str) -> None:
    import importlib

    try:
        importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(backend, "models", package) from exc


def openai_model(
    spec: str,
    model: str,
    base_url: str | None = None,
    *,
    preset: Preset | None = None,
    api_key_env: str = "OPENAI_API_KEY",
    **options: Any,
) -> LangChainModel:
    """An OpenAI-compatible server. The key is read from ``api_key_env`` (``"EMPTY"`` when
    unset, as local servers expect) and handed to the client only."""
    _require("langchain_openai", "langchain-openai", "openai")
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    options.setdefault("max_retries", 0)  # CachedModel retries with backoff
    chat = ChatOpenAI(
        model=preset.hf_id if preset else model,
        base_url=base_url,
        api_key=SecretStr(os.environ.get(api_key_env) or "EMPTY"),
        **options,
    )
    return LangChainModel(chat, spec, preset)


def ollama_model(
    spec: str, model: str, *, preset: Preset | None = None, **options: Any
) -> LangChainModel:
    _require("langchain_ollama", "langchain-ollama", "ollama")
    from langchain_ollama import ChatOllama

    name = preset.ollama if preset and preset.ollama else model
    return LangChainModel(ChatOllama(model=name, **options), spec, preset)


def init_chat_model_backend(
    spec: str, provider: str, model: str, *, preset: Preset | None = None, **options: Any
) -> LangChainModel:
    """``langchain:<provider>:<model>`` through ``langchain.chat_models.init_chat_model``."""
    _require("langchain.chat_models", "langchain", "langchain")
    from langchain.chat_models import init_chat_model

    chat = init_chat_model(model, model_provider=provider, **options)
    return LangChainModel(chat, spec, preset)
