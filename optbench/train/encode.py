"""Records → token ids, with the completion marked for the loss, and batch collation.

The prompt is rendered the way :class:`optbench.models.hf.HFModel` renders it at inference
(the tokenizer's chat template with the generation prompt, or plain ``role: content``
lines), and the prompt and completion are tokenized separately, so the training tokens
are the ones the model sees and produces when it is sampled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch.utils.data import Dataset

IGNORE = -100


def _messages(value: Any) -> list[dict[str, str]] | None:
    if isinstance(value, list) and all(isinstance(m, dict) for m in value):
        return value
    return None


def render_prompt(tokenizer: Any, prompt: Any) -> tuple[str, bool]:
    """The prompt text and whether the tokenizer adds its special tokens to it."""
    from optbench.models import Message
    from optbench.models.hf import render_plain

    messages = _messages(prompt)
    if messages is None:
        return str(prompt), True
    if getattr(tokenizer, "chat_template", None):
        text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        return str(text), False
    return render_plain([Message(m["role"], m["content"]) for m in messages]), True


def render_completion(tokenizer: Any, prompt: Any, completion: Any) -> str:
    """The completion text, ending with the end-of-sequence token so the model learns to stop."""
    eos = tokenizer.eos_token or ""
    messages, answer = _messages(prompt), _messages(completion)
    content = answer[-1]["content"] if answer else str(completion)
    if messages is not None and answer is not None and getattr(tokenizer, "chat_template", None):
        prompt_text, _ = render_prompt(tokenizer, messages)
        full = str(tokenizer.apply_chat_template(messages + answer, tokenize=False))
        if full.startswith(prompt_text):
            text = full[len(prompt_text) :]
            return text if eos and eos in text else text + eos
    if messages is not None:
        content = "\n" + content
    return content + eos


def fit_lengths(n_prompt: int, n_completion: int, max_length: int) -> tuple[int, int]:
    """Lengths after truncation: the completion keeps at least half the budget (its tail
    is cut), the prompt loses its head."""
    if n_prompt + n_completion <= max_length:
        return n_prompt, n_completion
    keep_c = min(n_completion, max(max_length - n_prompt, max_length // 2))
    return min(n_prompt, max_length - keep_c), keep_c


@dataclass
class Encoded:
    prompt: list[int]
    completions: list[list[int]]
    truncated: bool


def encode(tokenizer: Any, prompt: Any, completions: Sequence[Any], max_length: int) -> Encoded:
    text, special = render_prompt(tokenizer, prompt)
    p = tokenizer(text, add_special_tokens=special)["input_ids"]
    cs = [
        tokenizer(render_completion(tokenizer, prompt, c), add_special_tokens=False)["input_ids"]
        for c in completions
    ]
    n_p, n_c = fit_lengths(len(p), max(len(c) for c in cs), max_length)
    truncated = n_p < len(p) or any(len(c) > n_c for c in cs)
    return Encoded(p[len(p) - n_p :], [c[:n_c] for c in cs], truncated)


class SFTDataset(Dataset[dict[str, Any]]):
    """``input_ids`` = prompt + completion, ``labels`` = the completion (prompt masked)."""

    def __init__(self, records: Sequence[dict[str, Any]], tokenizer: Any, max_length: int):
        self.items: list[dict[str, Any]] = []
        self.truncated = 0
        for i, r in enumerate(records):
            e = encode(tokenizer, r["prompt"], [r["completion"]], max_length)
            self.truncated += e.truncated
            c = e.completions[0]
            self.items.append(
                {"index": i, "input_ids": e.prompt + c, "labels": [IGNORE] * len(e.prompt) + c}
            )

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> dict[str, Any]:
        return self.items[i]

    @property
    def tokens(self) -> int:
        return sum(len(it["input_ids"]) for it in self.items)


class DPODataset(Dataset[dict[str, Any]]):
    """Chosen and rejected sequences sharing one (identically truncated) prompt."""

    def __init__(self, records: Sequence[dict[str, Any]], tokenizer: Any, max_length: int):
        self.items: list[dict[str, Any]] = []
        self.truncated = 0
        for i, r in enumerate(records):
            e = encode(tokenizer, r["prompt"], [r["chosen"], r["rejected"]], max_length)
            self.truncated += e.truncated
            item: dict[str, Any] = {"index": i}
            for name, c in zip(("chosen", "rejected"), e.completions, strict=True):
                item[f"{name}_input_ids"] = e.prompt + c
                item[f"{name}_labels"] = [IGNORE] * len(e.prompt) + c
            self.items.append(item)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> dict[str, Any]:
        return self.items[i]

    @property
    def tokens(self) -> int:
        return sum(len(it["chosen_input_ids"]) + len(it["rejected_input_ids"]) for it in self.items)


def _pad(rows: Sequence[list[int]], value: int, length: int) -> torch.Tensor:
    return torch.tensor([r + [value] * (length - len(r)) for r in rows], dtype=torch.long)


@dataclass
class Collator:
    """Right-pads ``*input_ids`` (pad id), ``*labels`` (-100) and builds attention masks;
    a DPO batch stacks chosen over rejected (one forward pass for both)."""

    pad_id: int
    multiple_of: int = 8

    def _length(self, rows: Sequence[list[int]]) -> int:
        n = max(len(r) for r in rows)
        return -(-n // self.multiple_of) * self.multiple_of

    def __call__(self, items: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        index = torch.tensor([it["index"] for it in items], dtype=torch.long)
        if "input_ids" in items[0]:
            ids = [it["input_ids"] for it in items]
            labels = [it["labels"] for it in items]
        else:
            ids = [it["chosen_input_ids"] for it in items] + [
                it["rejected_input_ids"] for it in items
            ]
            labels = [it["chosen_labels"] for it in items] + [it["rejected_labels"] for it in items]
        length = self._length(ids)
        mask = [[1] * len(r) for r in ids]
        return {
            "index": index,
            "input_ids": _pad(ids, self.pad_id, length),
            "labels": _pad(labels, IGNORE, length),
            "attention_mask": _pad(mask, 0, length),
        }
