"""Direct Preference Optimization (Rafailov et al., 2023) as a LightningModule.

loss = -log σ(β · ((π_c - π_r) - (ρ_c - ρ_r))), with π and ρ the summed log-probabilities
of the chosen (c) and rejected (r) completion tokens under the policy and the frozen
reference. The reference is the base model: with LoRA, the same network with its adapter
disabled (under ``no_grad``; TRL's ``null_ref_context``); without LoRA, the reference
log-probabilities are computed once, before the first step, and kept in the checkpoint so
a resumed run does not recompute them from trained weights. Dropout is switched off, as
in TRL, so the policy and reference log-probabilities are comparable.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any, ClassVar

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

from optbench.train._module import CausalLMModule, sequence_logps
from optbench.train.config import DPOConfig
from optbench.train.encode import Collator

REF_KEY = "dpo_reference_logps"


def dpo_loss(
    policy_chosen: torch.Tensor,
    policy_rejected: torch.Tensor,
    ref_chosen: torch.Tensor,
    ref_rejected: torch.Tensor,
    beta: float,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per-pair losses and the implicit rewards β(π - ρ) of chosen and rejected."""
    margin = (policy_chosen - policy_rejected) - (ref_chosen - ref_rejected)
    losses = -F.logsigmoid(beta * margin)
    return losses, beta * (policy_chosen - ref_chosen), beta * (policy_rejected - ref_rejected)


class DPOModule(CausalLMModule):
    config_class: ClassVar[type[DPOConfig]] = DPOConfig
    config: DPOConfig

    def __init__(
        self, config: DPOConfig | dict[str, Any], dataset: Dataset[Any] | None = None
    ) -> None:
        super().__init__(config)
        self.dataset = dataset
        self.reference: torch.Tensor | None = None
        """(number of pairs, 2) reference log-probs, when not using LoRA."""
        for module in self.model.modules():
            if isinstance(module, torch.nn.Dropout):
                module.p = 0.0

    def _reference_context(self) -> AbstractContextManager[Any]:
        return self.model.disable_adapter() if self.config.lora else nullcontext()

    def logps(self, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """Chosen and rejected log-probs of a batch stacking chosen over rejected."""
        logits = self.model(
            input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]
        ).logits
        logps = sequence_logps(logits, batch["labels"])
        half = logps.shape[0] // 2
        return logps[:half], logps[half:]

    def reference_logps(self, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        if not self.config.lora:
            if self.reference is None:
                raise RuntimeError("reference log-probs were not computed before training")
            ref = self.reference.to(self.device)[batch["index"]]
            return ref[:, 0], ref[:, 1]
        with torch.no_grad(), self._reference_context():
            chosen, rejected = self.logps(batch)
        return chosen.detach(), rejected.detach()

    def step_outputs(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        ref_c, ref_r = self.reference_logps(batch)
        pol_c, pol_r = self.logps(batch)
        losses, reward_c, reward_r = dpo_loss(pol_c, pol_r, ref_c, ref_r, self.config.beta)
        return {
            "loss": losses.mean(),
            "rewards/chosen": reward_c.mean(),
            "rewards/rejected": reward_r.mean(),
            "rewards/accuracies": (reward_c > reward_r).float().mean(),
            "rewards/margins": (reward_c - reward_r).mean(),
            "logps/chosen": pol_c.mean(),
            "logps/rejected": pol_r.mean(),
        }

    def training_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> torch.Tensor:
        out = self.step_outputs(batch)
        n = batch["index"].shape[0]
        self.log("train/loss", out["loss"], prog_bar=True, batch_size=n)
        self.log("train/margin", out["rewards/margins"], prog_bar=True, batch_size=n)
        for name, value in out.items():
            if name != "loss":
                self.log(f"train/{name}", value, batch_size=n)
        self.log("train/tokens", float(self.count_tokens(batch)), reduce_fx="sum", batch_size=n)
        return out["loss"]

    # -- precomputed reference (full fine-tuning) ------------------------------------

    def on_train_start(self) -> None:
        if self.config.lora or self.reference is not None:
            return
        if self.dataset is None:
            raise RuntimeError("DPO without LoRA needs the dataset to precompute the reference")
        self.reference = self.compute_reference(self.dataset)

    @torch.no_grad()
    def compute_reference(self, dataset: Dataset[Any]) -> torch.Tensor:
        pad = int(self.model.config.pad_token_id or 0)
        loader = DataLoader(
            dataset, batch_size=self.config.batch_size, shuffle=False, collate_fn=Collator(pad)
        )
        was_training = self.training
        self.eval()
        out = torch.zeros(len(dataset), 2)  # type: ignore[arg-type]
        for batch in loader:
            batch = {k: v.to(self.device) for k, v in batch.items()}
            with self._autocast():
                chosen, rejected = self.logps(batch)
            out[batch["index"].cpu()] = torch.stack([chosen, rejected], dim=1).float().cpu()
        self.train(was_training)
        return out

    def _autocast(self) -> AbstractContextManager[Any]:
        precision = str(self.trainer.precision) if self._trainer is not None else ""
        if "bf16" in precision and self.device.type == "cuda":
            return torch.autocast("cuda", dtype=torch.bfloat16)
        return nullcontext()

    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        super().on_save_checkpoint(checkpoint)
        if self.reference is not None:
            checkpoint[REF_KEY] = self.reference

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        ref = checkpoint.get(REF_KEY)
        if ref is None:
            return
        if self.dataset is not None and ref.shape[0] != len(self.dataset):  # type: ignore[arg-type]
            raise ValueError(
                f"the checkpoint's reference covers {ref.shape[0]} pairs, the data has "
                f"{len(self.dataset)}: resume with the data it was trained on"  # type: ignore[arg-type]
            )
        self.reference = ref

    @torch.no_grad()
    def mean_margin(self, loader: Any) -> float:
        """Mean of (π_c - π_r) - (ρ_c - ρ_r) over ``loader``, in eval mode."""
        if not self.config.lora and self.reference is None:
            self.reference = self.compute_reference(loader.dataset)
        was_training = self.training
        self.eval()
        total, count = 0.0, 0
        for batch in loader:
            batch = {k: v.to(self.device) for k, v in batch.items()}
            ref_c, ref_r = self.reference_logps(batch)
            pol_c, pol_r = self.logps(batch)
            total += float(((pol_c - pol_r) - (ref_c - ref_r)).sum())
            count += pol_c.shape[0]
        self.train(was_training)
        return total / max(count, 1)
