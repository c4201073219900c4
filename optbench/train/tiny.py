"""A tiny LLaMA-style causal LM with a locally trained tokenizer and a chat template.

For tests and the ``--tiny`` benchmark: nothing comes from the Hugging Face Hub. The
tokenizer is a byte-level BPE trained on local Python text (the bundled dataset's sources
and the prompt templates unless given), so every string is representable.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

SPECIAL_TOKENS = ["<|pad|>", "<|end|>", "<|system|>", "<|user|>", "<|assistant|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}<|end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


def local_texts() -> list[str]:
    """Python and prompt text shipped with optbench: the bundled dataset and the templates."""
    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "datasets").glob("*/*/*.py")) + sorted(
        (root / "optimizers" / "prompts").glob("*.txt")
    )
    return [f.read_text(encoding="utf-8") for f in files]


def train_tokenizer(texts: Iterable[str] | None = None, vocab_size: int = 512) -> Any:
    """A byte-level BPE ``PreTrainedTokenizerFast`` with ``<|end|>`` as end of sequence."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(list(texts) if texts is not None else local_texts(), trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|end|>",
        pad_token="<|pad|>",
        clean_up_tokenization_spaces=False,
    )
    fast.chat_template = CHAT_TEMPLATE
    return fast


def tiny_llama_config(vocab_size: int, **overrides: Any) -> Any:
    from transformers import LlamaConfig

    values: dict[str, Any] = {
        "vocab_size": vocab_size,
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "max_position_embeddings": 4096,
        "tie_word_embeddings": False,
    }
    values.update(overrides)
    return LlamaConfig(**values)


def make_tiny_model(
    out: str | Path,
    texts: Iterable[str] | None = None,
    *,
    vocab_size: int = 512,
    seed: int = 0,
    **config: Any,
) -> Path:
    """Write a random-weight tiny LLaMA and its tokenizer to ``out``; loads as ``hf:out``."""
    import torch
    from transformers import LlamaForCausalLM

    out = Path(out)
    tokenizer = train_tokenizer(texts, vocab_size)
    cfg = tiny_llama_config(
        len(tokenizer),
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=None,
        **config,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(cfg)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out
