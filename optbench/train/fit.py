"""One training run: data → Lightning Trainer → a model directory that loads as ``hf:DIR``.

The output directory holds the model (adapter or full weights) and tokenizer at its top,
``checkpoints/`` (Lightning ``.ckpt`` files, ``last.ckpt`` for ``--resume last``),
``logs/`` (CSV metrics), ``tb/`` (TensorBoard, when installed) and
``optbench_train.json`` (config, steps, final metrics, data hash, library versions).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import Callback, LearningRateMonitor, ModelCheckpoint
from pytorch_lightning.loggers import CSVLogger, Logger, TensorBoardLogger
from torch.utils.data import DataLoader

from optbench.train._module import CausalLMModule, base_path, resolve_precision
from optbench.train.conditioned import check_conditioned
from optbench.train.config import DPOConfig, SFTConfig, TrainConfig
from optbench.train.data import read_jsonl
from optbench.train.dpo import DPOModule
from optbench.train.encode import Collator, DPODataset, SFTDataset
from optbench.train.sft import SFTModule


@dataclass
class TrainResult:
    out: Path
    global_step: int
    metrics: dict[str, float]
    examples: int
    truncated: int
    last_checkpoint: Path | None


def load_tokenizer(base: str) -> Any:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base_path(base))
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def algorithm_of(config: TrainConfig) -> str:
    if isinstance(config, DPOConfig):
        return "dpo"
    if isinstance(config, SFTConfig):
        return "sft"
    raise TypeError(f"expected an SFTConfig or a DPOConfig, got {type(config).__name__}")


def build_dataset(
    config: TrainConfig, tokenizer: Any, records: Sequence[dict[str, Any]] | None = None
) -> SFTDataset | DPODataset:
    kind = algorithm_of(config)
    if records is None:
        if not config.data:
            raise ValueError("no training data: give --data FILE.jsonl")
        records = read_jsonl(config.data, kind)  # type: ignore[arg-type]
    if isinstance(config, SFTConfig) and config.conditioned:
        check_conditioned(records, config.data or "records")
    cls = DPODataset if kind == "dpo" else SFTDataset
    return cls(records, tokenizer, config.max_length)


def build_loader(
    config: TrainConfig, dataset: SFTDataset | DPODataset, pad_id: int, *, shuffle: bool = True
) -> DataLoader[Any]:
    return DataLoader(
        dataset,
        batch_size=config.batch_size,
        shuffle=shuffle,
        collate_fn=Collator(pad_id),
        num_workers=config.num_workers,
    )


def build_module(config: TrainConfig, dataset: Any = None) -> CausalLMModule:
    if algorithm_of(config) == "dpo":
        return DPOModule(config, dataset)  # type: ignore[arg-type]
    return SFTModule(config)


def loggers(out: Path) -> list[Logger]:
    found: list[Logger] = [CSVLogger(save_dir=out, name="logs")]
    if importlib.util.find_spec("tensorboard") or importlib.util.find_spec("tensorboardX"):
        found.append(TensorBoardLogger(save_dir=out, name="tb"))
    return found


def build_trainer(
    config: TrainConfig,
    *,
    progress_bar: bool = True,
    log: bool = True,
    checkpoints: bool = True,
    callbacks: Sequence[Callback] = (),
    **overrides: Any,
) -> pl.Trainer:
    """A Trainer for ``config``; checkpoints go to ``<out>/checkpoints`` (``last.ckpt``
    always written) unless ``checkpoints`` is false. ``overrides`` are passed to ``pl.Trainer`` as they are."""
    out = Path(config.out or ".")
    checkpoint = ModelCheckpoint(
        dirpath=out / "checkpoints",
        filename="step{step}",
        auto_insert_metric_name=False,
        save_last=True,
        every_n_train_steps=config.save_every or None,
    )
    all_callbacks: list[Callback] = [checkpoint, *callbacks] if checkpoints else [*callbacks]
    if log:
        all_callbacks.append(LearningRateMonitor(logging_interval="step"))
    kwargs: dict[str, Any] = {
        "accelerator": "gpu" if config.accelerator == "cuda" else config.accelerator,
        "devices": 1,
        "precision": resolve_precision(config),
        "max_steps": config.max_steps,
        "max_epochs": config.max_epochs if config.max_steps == -1 else None,
        "accumulate_grad_batches": config.grad_accum,
        "gradient_clip_val": 1.0,
        "log_every_n_steps": config.log_every,
        "default_root_dir": out,
        "logger": loggers(out) if log else False,
        "callbacks": all_callbacks,
        "enable_progress_bar": progress_bar,
        "enable_model_summary": progress_bar,
        "enable_checkpointing": checkpoints,
    }
    kwargs.update(overrides)
    return pl.Trainer(**kwargs)


def resolve_resume(config: TrainConfig) -> str | None:
    if not config.resume:
        return None
    path = Path(config.out) / "checkpoints" / "last.ckpt" if config.resume == "last" else None
    path = path or Path(config.resume)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint to resume from at {path}")
    return str(path)


def train(
    config: TrainConfig,
    *,
    records: Sequence[dict[str, Any]] | None = None,
    progress_bar: bool = True,
    export: bool = True,
    **trainer_overrides: Any,
) -> TrainResult:
    """Train ``config`` (SFT or DPO) and export the model to ``config.out``."""
    if not config.out:
        raise ValueError("no output directory: give --out DIR")
    out = Path(config.out)
    ckpt_path = resolve_resume(config)
    pl.seed_everything(config.seed, workers=True, verbose=False)
    tokenizer = load_tokenizer(config.base)
    dataset = build_dataset(config, tokenizer, records)
    loader = build_loader(config, dataset, int(tokenizer.pad_token_id))
    module = build_module(config, dataset)
    trainer = build_trainer(config, progress_bar=progress_bar, **trainer_overrides)
    trainer.fit(module, train_dataloaders=loader, ckpt_path=ckpt_path)
    metrics = {k: float(v) for k, v in trainer.callback_metrics.items() if v.numel() == 1}
    if export:
        module.export(out, tokenizer, merge=config.merge)
        write_info(out, config, trainer.global_step, metrics, dataset)
    last = out / "checkpoints" / "last.ckpt"
    return TrainResult(
        out=out,
        global_step=trainer.global_step,
        metrics=metrics,
        examples=len(dataset),
        truncated=dataset.truncated,
        last_checkpoint=last if last.is_file() else None,
    )


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def write_info(
    out: Path, config: TrainConfig, step: int, metrics: dict[str, float], dataset: Any
) -> None:
    data_hash = None
    if config.data and Path(config.data).is_file():
        data_hash = hashlib.sha256(Path(config.data).read_bytes()).hexdigest()
    info = {
        "algorithm": algorithm_of(config),
        "config": config.to_dict(),
        "global_step": step,
        "metrics": metrics,
        "examples": len(dataset),
        "truncated": dataset.truncated,
        "data_sha256": data_hash,
        "finished_at": datetime.now(UTC).isoformat(),
        "python": platform.python_version(),
        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "versions": {
            n: _version(n)
            for n in ("optbench", "torch", "transformers", "peft", "pytorch-lightning")
        },
    }
    (out / "optbench_train.json").write_text(json.dumps(info, indent=2) + "\n")
