"""A local Hugging Face causal LM (a hub id, a checkpoint dir, or a dir holding a LoRA adapter)."""

from __future__ import annotations

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


def render_plain(messages: Sequence[Message]) -> str:
    """The prompt for a tokenizer without a chat template: ``role: content`` lines."""
    lines = [f"{m.role}: {m.content}" for m in messages]
    return "\n".join([*lines, "assistant:"])


class HFModel:
    """Samples a transformers causal LM in-process: the ``n`` samples of a request are one
    batched ``generate`` call. Calls are serialised (one model, one device)."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        spec: str,
        *,
        preset: Preset | None = None,
        fingerprint: str | None = None,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.spec = spec
        self.preset = preset
        self.fingerprint = fingerprint
        """Which weights were loaded (see :func:`weights_fingerprint`): part of the
        generation cache's keys, so retraining into the same folder misses the cache."""
        self.default_params = preset.sampling if preset else None
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

    def generate(
        self, messages: list[Message], params: SamplingParams, n: int = 1
    ) -> list[Completion]:
        return self.generate_samples(messages, params, range(n))

    def generate_samples(
        self, messages: list[Message], params: SamplingParams, samples: Sequence[int]
    ) -> list[Completion]:
        torch = _import_torch()
        k = len(samples)
        stop = self.preset.merged_stop(params.stop) if self.preset else params.stop
        prompt, add_special = self.render(messages)
        enc = self.tokenizer(prompt, return_tensors="pt", add_special_tokens=add_special)
        enc = {name: t.to(self.model.device) for name, t in enc.items()}
        sampled = params.temperature > 0
        gen: dict[str, Any] = {
            "max_new_tokens": params.max_new_tokens,
            "do_sample": sampled,
            "pad_token_id": self.tokenizer.pad_token_id,
        }
        if sampled:
            gen.update(temperature=params.temperature, top_p=params.top_p, num_return_sequences=k)
        if stop:
            gen.update(stop_strings=list(stop), tokenizer=self.tokenizer)
        start = time.perf_counter()
        with self._lock, torch.inference_mode():
            if params.seed is not None:
                torch.manual_seed(params.seed + min(samples, default=0))
            output = self.model.generate(**enc, **gen)
        latency = time.perf_counter() - start
        n_in = int(enc["input_ids"].shape[1])
        rows = output[:, n_in:].tolist()
        if not sampled:
            rows = rows * k
        out = []
        for j, ids in enumerate(rows):
            ids = self._strip_padding(ids)
            text = self.tokenizer.decode(ids, skip_special_tokens=True)
            out.append(
                Completion(
                    text=truncate_at_stop(text, stop),
                    input_tokens=n_in,
                    # greedy samples are copies of the one sequence generated
                    output_tokens=len(ids) if sampled or j == 0 else 0,
                    latency_s=latency,
                    cache_hit=False,
                    model=self.spec,
                )
            )
        return out

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
