"""Training configuration: one dataclass per algorithm, driving both the CLI and a file.

A config file is TOML (``.toml``) or YAML (``.yaml``/``.yml``) whose keys are the field
names; a table named after the algorithm (``[sft]``, ``[dpo]``) is used when present, so
one file can hold both. Options given on the command line override the file.

Every field is a primitive (str, int, float, bool or None): the config is saved as the
LightningModule's hyper-parameters, and checkpoints must load with ``weights_only=True``.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Self


def _f(default: Any, help: str, *flags: str) -> Any:
    return field(default=default, metadata={"help": help, "flags": flags})


@dataclass
class TrainConfig:
    """What SFT and DPO share."""

    algorithm: ClassVar[str] = ""

    base: str = _f(
        "", "Base model: a local Hugging Face checkpoint directory, or smollm2-135m (pulled)."
    )
    data: str = _f("", "Training data (JSONL from `optbench train data`).")
    out: str = _f("", "Output directory: the trained model (loads as hf:DIR), logs, checkpoints.")
    lora: bool = _f(True, "Train a LoRA adapter (peft) instead of every weight.")
    lora_r: int = _f(16, "LoRA rank.")
    lora_alpha: int = _f(32, "LoRA scaling numerator (alpha / r).")
    lora_dropout: float = _f(0.05, "Dropout on the LoRA branch.")
    lora_target_modules: str = _f(
        "all-linear", "Comma-separated module names, or 'all-linear' (peft's every linear layer)."
    )
    merge: bool = _f(False, "Save the LoRA adapter merged into the base weights.")
    max_steps: int = _f(-1, "Optimizer steps to train for (-1: use max_epochs).")
    max_epochs: int = _f(1, "Epochs, when max_steps is -1.")
    learning_rate: float = _f(2e-4, "Peak learning rate.", "--lr")
    weight_decay: float = _f(0.0, "AdamW weight decay.")
    warmup_steps: int = _f(0, "Linear warm-up steps (wins over warmup_ratio when > 0).")
    warmup_ratio: float = _f(0.03, "Warm-up as a fraction of the total steps.")
    batch_size: int = _f(4, "Examples per micro-batch.")
    grad_accum: int = _f(1, "Micro-batches accumulated per optimizer step.")
    max_length: int = _f(2048, "Longest sequence (prompt + completion) in tokens.")
    precision: str = _f(
        "auto", "Lightning precision; 'auto' is bf16-mixed on a bf16 GPU, 32-true otherwise."
    )
    dtype: str = _f(
        "auto",
        "Dtype of the loaded weights; 'auto' is bfloat16 for a LoRA base on GPU, else float32.",
    )
    gradient_checkpointing: bool | None = _f(
        None, "Recompute activations in the backward pass (default: on GPU only)."
    )
    accelerator: str = _f("auto", "Lightning accelerator (auto, cpu, gpu).")
    seed: int = _f(0, "Seed for weights of new modules, data order and dropout.")
    save_every: int = _f(0, "Checkpoint every N optimizer steps (0: at the end of each epoch).")
    log_every: int = _f(10, "Log every N optimizer steps.")
    resume: str | None = _f(None, "Resume from a Lightning checkpoint (a .ckpt path, or 'last').")
    num_workers: int = _f(0, "DataLoader worker processes.")

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.grad_accum < 1:
            raise ValueError("batch_size and grad_accum must be >= 1")
        if self.max_steps == 0 or self.max_steps < -1:
            raise ValueError("max_steps must be -1 (epochs) or a positive number")
        if self.max_length < 8:
            raise ValueError("max_length must be at least 8 tokens")
        if not 0.0 <= self.warmup_ratio < 1.0:
            raise ValueError("warmup_ratio must be in [0, 1)")

    @property
    def target_modules(self) -> str | list[str]:
        names = [n.strip() for n in self.lora_target_modules.split(",") if n.strip()]
        return "all-linear" if names == ["all-linear"] else names

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "config") -> Self:
        unknown = sorted(set(data) - set(cls.field_names()))
        if unknown:
            raise ValueError(
                f"{source}: unknown {cls.algorithm or 'training'} option(s) {', '.join(unknown)}; "
                f"known: {', '.join(cls.field_names())}"
            )
        return cls(**data)

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: Any) -> Self:
        """The file's values (if any), then every override that is not ``None``."""
        values: dict[str, Any] = read_config_file(path, cls.algorithm) if path else {}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.from_dict(values, source=str(path or "options"))


@dataclass
class SFTConfig(TrainConfig):
    """Supervised fine-tuning on prompt → completion pairs, loss on the completion only."""

    algorithm: ClassVar[str] = "sft"

    conditioned: bool = _f(
        False,
        "PIE's performance-conditioned training: the data must be score-tagged records "
        "(`optbench train data --conditioned`); ask the result with the perf_conditioned "
        "technique.",
    )


@dataclass
class DPOConfig(TrainConfig):
    """Direct Preference Optimization (Rafailov et al., 2023) on prompt/chosen/rejected."""

    algorithm: ClassVar[str] = "dpo"

    learning_rate: float = _f(5e-5, "Peak learning rate.", "--lr")
    beta: float = _f(0.1, "DPO temperature: how far the policy may move from the reference.")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.beta <= 0:
            raise ValueError("beta must be > 0")


def read_config_file(path: str | Path, section: str = "") -> dict[str, Any]:
    """The mapping in a TOML or YAML file (its ``section`` table when it has one)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no config file {path}")
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".toml":
        data: Any = tomllib.loads(text)
    elif path.suffix in (".yaml", ".yml"):
        import yaml

        data = yaml.safe_load(text) or {}
    else:
        raise ValueError(f"{path}: expected a .toml, .yaml or .yml config file")
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of option names to values")
    if section and isinstance(data.get(section), dict):
        data = data[section]
    return dict(data)
