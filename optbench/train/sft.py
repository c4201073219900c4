"""Supervised fine-tuning: next-token loss on the completion tokens only."""

from __future__ import annotations

from typing import Any, ClassVar

import torch

from optbench.train._module import CausalLMModule
from optbench.train.config import SFTConfig


class SFTModule(CausalLMModule):
    config_class: ClassVar[type[SFTConfig]] = SFTConfig

    def loss(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        out = self.model(
            input_ids=batch["input_ids"],
            attention_mask=batch["attention_mask"],
            labels=batch["labels"],
        )
        return out.loss

    def training_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> torch.Tensor:
        loss = self.loss(batch)
        n = batch["input_ids"].shape[0]
        self.log("train/loss", loss, prog_bar=True, batch_size=n)
        self.log("train/tokens", float(self.count_tokens(batch)), reduce_fx="sum", batch_size=n)
        return loss

    @torch.no_grad()
    def mean_loss(self, loader: Any) -> float:
        """The completion loss over ``loader`` (eval mode, no gradients)."""
        was_training = self.training
        self.eval()
        total, count = 0.0, 0
        for batch in loader:
            batch = {k: v.to(self.device) for k, v in batch.items()}
            total += float(self.loss(batch)) * batch["input_ids"].shape[0]
            count += batch["input_ids"].shape[0]
        self.train(was_training)
        return total / max(count, 1)
