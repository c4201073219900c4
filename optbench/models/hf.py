"""A local Hugging Face causal LM (a hub id, a checkpoint dir, or a dir holding a LoRA adapter)."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from optbench.models._types import Completion, Message, SamplingParams, truncate_at_stop
from optbench.models.errors import MissingExtraError
from optbench.models.keys import checkpoint_fingerprint
from optbench.models.presets import Preset


def _import_torch() -> Any:
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("hf", "hf", "torch and transformers") from exc
    return torch


class PromptTooLong(ValueError):
    """A prompt that leaves no room for a reply in the model's context window. Prompts are
    never cut (that would change the task); the call fails and the technique stores a
    ``model_error`` outcome naming the lengths."""


def render_plain(messages: Sequence[Message]) -> str:
    """The prompt for a tokenizer without a chat template: ``role: content`` lines."""
    lines = [f"{m.role}: {m.content}" for m in messages]
    return "\n".join([*lines, "assistant:"])


class HFModel:
    """Samples a transformers causal LM in-process. The ``n`` samples of a request are one
    batched ``generate`` call whose rows share one prefill of the prompt (its KV cache is
    computed once and copied to every row); distinct requests given together
    (:meth:`generate_batch`) are one left-padded batch. Calls are serialised (one model,
    one device).

    The context window (the preset's ``context_length``, else the checkpoint's
    ``max_position_embeddings``) bounds prompt + reply: a reply's ``max_new_tokens`` is cut
    to the room the batch's longest prompt leaves, and a prompt that leaves none raises
    :class:`PromptTooLong`."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        spec: str,
        *,
        preset: Preset | None = None,
        fingerprint: str | None = None,
        max_batch: int = 32,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.spec = spec
        self.preset = preset
        cap = preset.max_new_tokens_cap if preset else None
        if fingerprint is not None and cap is not None:
            fingerprint += f"+max_new_tokens<={cap}"
        self.fingerprint = fingerprint
        """Which weights were loaded (see :func:`weights_fingerprint`), and the preset's cap
        on reply length: part of the generation cache's keys, so retraining into the same
        folder (or changing the cap) misses the cache."""
        self.default_params = preset.sampling if preset else None
        window = getattr(getattr(model, "config", None), "max_position_embeddings", None)
        self.context_length: int | None = (
            preset.context_length if preset else window if isinstance(window, int) else None
        )
        """Prompt + reply tokens the model attends to; None where unknown."""
        self.max_batch = max_batch
        """Most sequences decoded together; more are decoded in chunks of this size."""
        self._lock = threading.Lock()
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token

    @classmethod
    def load(
        cls,
        path: str,
        spec: str | None = None,
        *,
        preset: Preset | None = None,
        device: str | None = None,
        dtype: str | None = None,
        trust_remote_code: bool = False,
    ) -> HFModel:
        """Load from a local dir or hub id; a dir with ``adapter_config.json`` is a peft LoRA
        adapter over its ``base_model_name_or_path``. Device: CUDA when available (bf16), else
        CPU (fp32), unless given."""
        torch = _import_torch()
        from transformers import AutoModelForCausalLM, AutoTokenizer

        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        torch_dtype = (
            getattr(torch, dtype)
            if dtype
            else (torch.bfloat16 if device.startswith("cuda") else torch.float32)
        )
        kwargs = {"dtype": torch_dtype, "trust_remote_code": trust_remote_code}
        model: Any
        adapter_config = Path(path) / "adapter_config.json"
        base_id: str | None = None
        if adapter_config.is_file():
            base_id = json.loads(adapter_config.read_text())["base_model_name_or_path"]
        fingerprint = weights_fingerprint(path, base_id)
        if base_id is not None:
            try:
                from peft import PeftModel
            except ImportError as exc:
                raise MissingExtraError("hf (LoRA adapter)", "train", "peft") from exc
            base = AutoModelForCausalLM.from_pretrained(base_id, **kwargs)
            model = PeftModel.from_pretrained(base, path)
            has_tokenizer = (Path(path) / "tokenizer_config.json").is_file()
            tokenizer = AutoTokenizer.from_pretrained(path if has_tokenizer else base_id)
        else:
            model = AutoModelForCausalLM.from_pretrained(path, **kwargs)
            tokenizer = AutoTokenizer.from_pretrained(path, trust_remote_code=trust_remote_code)
        model.to(device)
        model.eval()
        if fingerprint is None:
            revision = getattr(getattr(model, "config", None), "_commit_hash", None)
            fingerprint = f"hub:{revision}" if revision else None
        return cls(model, tokenizer, spec or f"hf:{path}", preset=preset, fingerprint=fingerprint)

    def render(self, messages: Sequence[Message]) -> tuple[str, bool]:
        """The prompt text, and whether the tokenizer should add its special tokens."""
        if getattr(self.tokenizer, "chat_template", None):
            prompt = self.tokenizer.apply_chat_template(
                [m.to_dict() for m in messages], tokenize=False, add_generation_prompt=True
            )
            return str(prompt), False
        return render_plain(messages), True

    def prompt_tokens(self, messages: Sequence[Message]) -> int:
        """The input tokens a call with ``messages`` reports (before making it)."""
        prompt, add_special = self.render(messages)
        return len(self.tokenizer(prompt, add_special_tokens=add_special).input_ids)

    def generate(
        self, messages: list[Message], params: SamplingParams, n: int = 1
    ) -> list[Completion]:
        return self.generate_samples(messages, params, range(n))

    def generate_samples(
        self, messages: list[Message], params: SamplingParams, samples: Sequence[int]
    ) -> list[Completion]:
        return self.generate_batch([(messages, samples)], params)[0]

    def generate_batch(
        self,
        requests: Sequence[tuple[list[Message], Sequence[int]]],
        params: SamplingParams,
    ) -> list[list[Completion]]:
        """The given samples of several requests, decoded together: one left-padded batch
        (one row per sampled sample, one row per request when greedy: greedy samples are
        copies) with a KV cache, in chunks of at most :attr:`max_batch` rows.

        A chunk is seeded once, with ``seed`` plus the first sample index of its first
        request, so a batch drawn again the same way gives the same samples (a rerun is
        served from the generation cache anyway). Each request's share of the wall-clock
        time is proportional to its rows."""
        if self.preset is not None:
            params = self.preset.capped(params)
        sampled = params.temperature > 0
        prompts: list[str] = []
        owners: list[int] = []
        add_special = False
        for r, (messages, samples) in enumerate(requests):
            prompt, add_special = self.render(messages)
            copies = len(samples) if sampled else min(len(samples), 1)
            prompts.extend([prompt] * copies)
            owners.extend([r] * copies)
        first = min(requests[0][1], default=0) if requests else 0
        rows: list[tuple[list[int], int]] = []
        wall = 0.0
        for lo in range(0, len(prompts), self.max_batch):
            chunk = prompts[lo : lo + self.max_batch]
            seed = None if params.seed is None else params.seed + first + lo
            decoded, seconds = self._decode(chunk, params, add_special, seed)
            rows.extend(decoded)
            wall += seconds
        stop = self.preset.merged_stop(params.stop) if self.preset else params.stop
        out: list[list[Completion]] = []
        for r, (_, samples) in enumerate(requests):
            mine = [ids_n for ids_n, owner in zip(rows, owners, strict=True) if owner == r]
            # each request is reported with its whole prompt and its rows' share of the
            # time; CachedModel shares both out among the request's samples
            latency = wall * len(mine) / max(len(rows), 1)
            made = [self._completion(ids, n_in, latency, stop) for ids, n_in in mine]
            if not sampled and made:
                # greedy samples are copies of the one sequence generated: no new tokens
                copy = dataclasses.replace(made[0], output_tokens=0)
                made.extend([copy] * (len(samples) - 1))
            out.append(made)
        return out

    def _decode(
        self, prompts: list[str], params: SamplingParams, add_special: bool, seed: int | None
    ) -> tuple[list[tuple[list[int], int]], float]:
        """Generate one left-padded batch: each row's new tokens and its prompt's length
        (padding excluded), and the wall-clock seconds."""
        torch = _import_torch()
        stop = self.preset.merged_stop(params.stop) if self.preset else params.stop
        enc = self.tokenizer(
            prompts,
            return_tensors="pt",
            add_special_tokens=add_special,
            padding=True,
            padding_side="left",
        )
        max_new_tokens = self._room(enc, params.max_new_tokens)
        enc = {name: t.to(self.model.device) for name, t in enc.items()}
        sampled = params.temperature > 0
        gen: dict[str, Any] = {
            "max_new_tokens": max_new_tokens,
            "do_sample": sampled,
            "pad_token_id": self.tokenizer.pad_token_id,
        }
        if sampled:
            gen.update(temperature=params.temperature, top_p=params.top_p)
        if stop:
            gen.update(stop_strings=list(stop), tokenizer=self.tokenizer)
        start = time.perf_counter()
        with self._lock, torch.inference_mode():
            if seed is not None:
                torch.manual_seed(seed)
            if len(set(prompts)) == 1 and len(prompts) > 1 and enc["input_ids"].shape[1] > 1:
                gen.update(self._shared_prefill(enc, len(prompts)))
            output = self.model.generate(**enc, **gen)
        seconds = time.perf_counter() - start
        width = int(enc["input_ids"].shape[1])
        lengths = enc["attention_mask"].sum(dim=1).tolist()
        new = output[:, width:].tolist()
        return [(ids, int(n)) for ids, n in zip(new, lengths, strict=True)], seconds

    def _room(self, enc: dict[str, Any], max_new_tokens: int) -> int:
        """``max_new_tokens`` cut to what the context window leaves after the longest prompt."""
        if self.context_length is None:
            return max_new_tokens
        longest = int(enc["attention_mask"].sum(dim=1).max())
        room = self.context_length - longest
        if room < 1:
            raise PromptTooLong(
                f"a prompt of {longest} tokens leaves no room for a reply in the "
                f"{self.context_length}-token context window of {self.spec}"
            )
        return min(max_new_tokens, room)

    def _shared_prefill(self, enc: dict[str, Any], rows: int) -> dict[str, Any]:
        """The KV cache of a prompt that every row shares, computed once and copied to the
        rows: without it ``generate`` runs the prompt's forward pass once per sample, which
        dominates a batch of samples of a long prompt on a CPU. All but the last prompt
        token are cached; ``generate`` feeds that one and decodes on."""
        out = self.model(
            input_ids=enc["input_ids"][:1, :-1],
            attention_mask=enc["attention_mask"][:1, :-1],
            use_cache=True,
        )
        name = "cache" if hasattr(out, "cache") else "past_key_values"
        cache = getattr(out, name)
        layers = getattr(cache, "layers", None)
        if not layers or not all(hasattr(x, "batch_repeat_interleave") for x in layers):
            return {}  # a cache this cannot copy: generate prefills every row itself
        for layer in layers:
            layer.batch_repeat_interleave(rows)
        return {name: cache}

    def _completion(
        self, ids: list[int], n_in: int, latency: float, stop: tuple[str, ...]
    ) -> Completion:
        ids = self._strip_padding(ids)
        text = self.tokenizer.decode(ids, skip_special_tokens=True)
        return Completion(
            text=truncate_at_stop(text, stop),
            input_tokens=n_in,
            output_tokens=len(ids),
            latency_s=latency,
            cache_hit=False,
            model=self.spec,
        )

    def _strip_padding(self, ids: list[int]) -> list[int]:
        """The tokens actually generated: up to and including the first end-of-sequence."""
        eos = self.model.generation_config.eos_token_id
        eos_ids = set(eos if isinstance(eos, list) else [eos]) - {None}
        pad = self.tokenizer.pad_token_id
        for i, t in enumerate(ids):
            if t in eos_ids:
                return ids[: i + 1]
            if t == pad:
                return ids[:i]
        return ids


def weights_fingerprint(path: str, base: str | None = None) -> str | None:
    """A fingerprint of the local checkpoint folder ``path`` (and of the local base model
    folder of a LoRA adapter), or None for a hub id (its revision is used once loaded)."""
    if not Path(path).is_dir():
        return None
    fingerprint = checkpoint_fingerprint(path)
    if base is not None and Path(base).is_dir():
        fingerprint += "+" + checkpoint_fingerprint(base)
    return fingerprint
