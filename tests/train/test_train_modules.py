"""SFT and DPO LightningModules on a tiny local LLaMA (CPU)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("pytorch_lightning")
pytest.importorskip("peft")

from optbench.train.config import DPOConfig, SFTConfig  # noqa: E402
from optbench.train.data import answer_message  # noqa: E402
from optbench.train.dpo import DPOModule, dpo_loss  # noqa: E402
from optbench.train.encode import IGNORE, SFTDataset, render_prompt  # noqa: E402
from optbench.train.fit import (  # noqa: E402
    build_dataset,
    build_loader,
    build_module,
    build_trainer,
    load_tokenizer,
)
from optbench.train.sft import SFTModule  # noqa: E402

MAX_LENGTH = 256
# The output layer too: the tiny model's final norm bounds its hidden states, so adapting
# only the inner layers barely moves its (random, near-uniform) output distribution.
TARGETS = "q_proj,v_proj,o_proj,down_proj,lm_head"


def dpo_records(sft_records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chosen: the reference fast code; rejected: a wrong program."""
    return [
        {
            "prompt": r["prompt"],
            "chosen": r["completion"],
            "rejected": answer_message("def main():\n    print(0)\n"),
        }
        for r in sft_records
    ]


def setup(config: Any, records: list[dict[str, Any]]) -> tuple[Any, Any, Any]:
    torch.manual_seed(0)
    tokenizer = load_tokenizer(config.base)
    dataset = build_dataset(config, tokenizer, records)
    module = build_module(config, dataset)
    loader = build_loader(config, dataset, tokenizer.pad_token_id, shuffle=False)
    return module, loader, dataset


def fit(config: Any, module: Any, loader: Any) -> Any:
    trainer = build_trainer(config, progress_bar=False, log=False, checkpoints=False)
    trainer.fit(module, train_dataloaders=loader)
    return trainer


def test_prompt_tokens_are_masked_and_completion_ends_with_eos(tiny_model, sft_records) -> None:
    tokenizer = load_tokenizer(str(tiny_model))
    data = SFTDataset(sft_records[:1], tokenizer, 4096)
    item = data[0]
    prompt_text, _ = render_prompt(tokenizer, sft_records[0]["prompt"])
    n_prompt = len(tokenizer(prompt_text, add_special_tokens=False)["input_ids"])
    assert item["labels"][:n_prompt] == [IGNORE] * n_prompt
    assert item["labels"][n_prompt:] == item["input_ids"][n_prompt:]
    assert tokenizer.eos_token_id in item["labels"][n_prompt:]
    assert data.truncated == 0
    short = SFTDataset(sft_records[:1], tokenizer, 64)
    assert len(short[0]["input_ids"]) == 64 and short.truncated == 1
    assert any(label != IGNORE for label in short[0]["labels"])


def test_dpo_loss_is_log2_at_the_reference() -> None:
    zero = torch.zeros(3)
    losses, rc, rr = dpo_loss(zero - 5, zero - 7, zero - 5, zero - 7, beta=0.1)
    assert torch.allclose(losses, torch.full((3,), torch.log(torch.tensor(2.0))))
    losses, rc, rr = dpo_loss(zero - 4, zero - 8, zero - 5, zero - 7, beta=0.1)
    assert bool((losses < 0.6931).all()) and bool((rc > rr).all())


def test_sft_lora_reduces_loss_and_trains_only_the_adapter(
    tiny_model, sft_records, tmp_path
) -> None:
    config = SFTConfig(
        base=str(tiny_model),
        out=str(tmp_path),
        max_steps=10,
        batch_size=3,
        learning_rate=1e-2,
        max_length=MAX_LENGTH,
        lora_r=8,
        warmup_steps=2,
        lora_target_modules=TARGETS,
    )
    module, loader, _ = setup(config, sft_records)
    assert isinstance(module, SFTModule)
    before_state = {k: v.clone() for k, v in module.state_dict().items()}
    before = module.mean_loss(loader)
    trainer = fit(config, module, loader)
    after = module.mean_loss(loader)
    assert trainer.global_step == 10
    assert after < before - 0.5, (before, after)
    changed = {k for k, v in module.state_dict().items() if not torch.equal(v, before_state[k])}
    lora = {k for k in before_state if "lora_" in k}
    assert changed and changed <= lora
    assert all(not p.requires_grad for n, p in module.named_parameters() if "lora_" not in n)


def test_sft_full_fine_tuning_changes_base_weights(tiny_model, sft_records, tmp_path) -> None:
    config = SFTConfig(
        base=str(tiny_model),
        out=str(tmp_path),
        max_steps=4,
        batch_size=3,
        learning_rate=1e-3,
        max_length=MAX_LENGTH,
        lora=False,
    )
    module, loader, _ = setup(config, sft_records)
    before = {k: v.clone() for k, v in module.state_dict().items()}
    fit(config, module, loader)
    changed = [k for k, v in module.state_dict().items() if not torch.equal(v, before[k])]
    assert any("embed_tokens" in k for k in changed) and any("mlp" in k for k in changed)


def test_dpo_lora_increases_the_chosen_over_rejected_margin(
    tiny_model, sft_records, tmp_path
) -> None:
    config = DPOConfig(
        base=str(tiny_model),
        out=str(tmp_path),
        max_steps=8,
        batch_size=3,
        learning_rate=1e-2,
        max_length=MAX_LENGTH,
        lora_r=8,
        beta=0.5,
        lora_target_modules=TARGETS,
    )
    module, loader, _ = setup(config, dpo_records(sft_records))
    assert isinstance(module, DPOModule)
    before = module.mean_margin(loader)
    assert abs(before) < 1e-3  # LoRA starts as the identity: policy == reference
    trainer = fit(config, module, loader)
    after = module.mean_margin(loader)
    assert after > before + 1.0, (before, after)
    assert float(trainer.callback_metrics["train/rewards/accuracies"]) == 1.0


def test_dpo_full_fine_tuning_precomputes_the_reference(
    tiny_model, sft_records, tmp_path: Path
) -> None:
    config = DPOConfig(
        base=str(tiny_model),
        out=str(tmp_path),
        max_steps=6,
        batch_size=3,
        learning_rate=1e-3,
        max_length=MAX_LENGTH,
        lora=False,
        beta=0.5,
    )
    module, loader, dataset = setup(config, dpo_records(sft_records))
    reference = module.compute_reference(dataset).clone()
    assert reference.shape == (len(dataset), 2)
    before = module.mean_margin(loader)
    fit(config, module, loader)
    assert torch.equal(module.reference, reference)
    assert module.mean_margin(loader) > before + 0.5
