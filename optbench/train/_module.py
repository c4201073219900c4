"""What the SFT and DPO LightningModules share: loading the causal LM (LoRA, dtype,
gradient checkpointing), the optimizer with its cosine schedule, adapter-only checkpoints
and the export to a directory that loads as ``hf:DIR``."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytorch_lightning as pl
import torch

from optbench.train.config import TrainConfig


def on_gpu(config: TrainConfig) -> bool:
    return config.accelerator in ("auto", "gpu", "cuda") and torch.cuda.is_available()


def resolve_dtype(config: TrainConfig) -> torch.dtype:
    if config.dtype != "auto":
        dtype = getattr(torch, config.dtype, None)
        if not isinstance(dtype, torch.dtype):
            raise ValueError(f"unknown dtype {config.dtype!r} (float32, bfloat16, float16)")
        return dtype
    return torch.bfloat16 if config.lora and on_gpu(config) else torch.float32


def resolve_precision(config: TrainConfig) -> str:
    if config.precision != "auto":
        return config.precision
    if on_gpu(config) and torch.cuda.is_bf16_supported():
        return "bf16-mixed"
    return "32-true"


def base_path(base: str) -> str:
    """An existing local directory as an absolute path (what the adapter records); a
    pullable preset's name (``smollm2-135m``) as its pulled checkpoint, pulled on first use."""
    path = Path(base).expanduser()
    if path.is_dir():
        return str(path.resolve())
    from optbench.models.presets import find_preset

    preset = find_preset(base)
    if preset is not None and preset.pull is not None:
        from optbench.models.pull import ensure_pulled

        return ensure_pulled(preset).path
    return base


def checkpointing_on(config: TrainConfig) -> bool:
    if config.gradient_checkpointing is None:
        return on_gpu(config)
    return config.gradient_checkpointing


def load_causal_lm(config: TrainConfig) -> Any:
    """The base model, wrapped in a LoRA adapter when ``config.lora``."""
    from transformers import AutoModelForCausalLM

    if not config.base:
        raise ValueError("no base model: give --base PATH (a local Hugging Face checkpoint)")
    model: Any = AutoModelForCausalLM.from_pretrained(
        base_path(config.base), dtype=resolve_dtype(config)
    )
    model.config.use_cache = False
    model.train()
    if checkpointing_on(config):
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        if config.lora:
            model.enable_input_require_grads()
    if config.lora:
        from peft import LoraConfig, get_peft_model

        lora = LoraConfig(
            r=config.lora_r,
            lora_alpha=config.lora_alpha,
            lora_dropout=config.lora_dropout,
            target_modules=config.target_modules,
            task_type="CAUSAL_LM",
        )
        model = get_peft_model(model, lora)
        model.peft_config["default"].base_model_name_or_path = base_path(config.base)
    return model


def sequence_logps(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Summed log-probability of each row's labelled (not -100) tokens; logits[t] predicts
    labels[t + 1]."""
    logits = logits[:, :-1].float()
    labels = labels[:, 1:]
    mask = labels != -100
    safe = labels.masked_fill(~mask, 0)
    picked = torch.gather(logits, 2, safe.unsqueeze(-1)).squeeze(-1)
    logps = picked - torch.logsumexp(logits, dim=-1)
    return (logps * mask).sum(-1)


class CausalLMModule(pl.LightningModule):
    """A Hugging Face causal LM under Lightning. The hyper-parameters are the config as a
    dict of primitives, so checkpoints load with ``weights_only=True``."""

    config_class: ClassVar[type[TrainConfig]] = TrainConfig

    def __init__(self, config: TrainConfig | dict[str, Any]) -> None:
        super().__init__()
        if isinstance(config, dict):
            config = self.config_class.from_dict(config)
        self.config = config
        self.save_hyperparameters({"config": config.to_dict()})
        self.model = load_causal_lm(config)
        # A LoRA checkpoint holds the adapter only; the frozen base comes from ``base``.
        self.strict_loading = not config.lora

    def forward(self, **batch: torch.Tensor) -> Any:
        return self.model(**batch)

    def trainable_parameters(self) -> list[torch.nn.Parameter]:
        return [p for p in self.parameters() if p.requires_grad]

    def configure_optimizers(self) -> Any:
        from transformers import get_cosine_schedule_with_warmup

        cfg = self.config
        optimizer = torch.optim.AdamW(
            self.trainable_parameters(), lr=cfg.learning_rate, weight_decay=cfg.weight_decay
        )
        total = int(self.trainer.estimated_stepping_batches)
        warmup = cfg.warmup_steps or int(cfg.warmup_ratio * total)
        scheduler = get_cosine_schedule_with_warmup(optimizer, warmup, max(total, 1))
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": scheduler, "interval": "step", "frequency": 1},
        }

    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        if self.config.lora:
            keep = {name for name, p in self.named_parameters() if p.requires_grad}
            checkpoint["state_dict"] = {
                k: v for k, v in checkpoint["state_dict"].items() if k in keep
            }

    def count_tokens(self, batch: dict[str, torch.Tensor]) -> int:
        return int(batch["attention_mask"].sum())

    def export(self, out: str | Path, tokenizer: Any, *, merge: bool = False) -> Path:
        """Write the trained model and its tokenizer to ``out``: the adapter (over the base
        recorded in ``adapter_config.json``) or, with ``merge`` or full fine-tuning, complete
        weights. Merging folds the adapter into the base in place: export last."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        model = self.model
        if self.config.lora and merge:
            model = model.merge_and_unload()
        model.config.use_cache = True
        if checkpointing_on(self.config):
            model.gradient_checkpointing_disable()
        model.save_pretrained(out)
        tokenizer.save_pretrained(out)
        return out
