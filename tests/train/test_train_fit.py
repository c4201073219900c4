"""A training run end to end: export that loads as ``hf:DIR``, checkpoints, resume, CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("pytorch_lightning")
pytest.importorskip("peft")

from click.testing import CliRunner  # noqa: E402

from optbench.cli.train_cmd import train_group  # noqa: E402
from optbench.models import Message, SamplingParams, load_model  # noqa: E402
from optbench.train.config import DPOConfig, SFTConfig  # noqa: E402
from optbench.train.data import answer_message, write_jsonl  # noqa: E402
from optbench.train.dpo import REF_KEY  # noqa: E402
from optbench.train.fit import train  # noqa: E402


def generates(out: Path) -> str:
    model = load_model(f"hf:{out}")
    completion = model.generate(
        [Message("user", "def f(n):")], SamplingParams(temperature=0.0, max_new_tokens=6)
    )[0]
    assert completion.ok and completion.output_tokens > 0
    return completion.text


def test_lora_run_exports_an_adapter_that_loads_and_resumes(
    tiny_model: Path, sft_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "sft"
    config = SFTConfig(
        base=str(tiny_model),
        out=str(out),
        max_steps=2,
        batch_size=2,
        max_length=128,
        save_every=1,
        log_every=1,
    )
    first = train(config, records=sft_records, progress_bar=False)
    assert first.global_step == 2
    adapter = json.loads((out / "adapter_config.json").read_text())
    assert adapter["base_model_name_or_path"] == str(tiny_model.resolve())
    assert (out / "tokenizer_config.json").is_file()
    assert json.loads((out / "optbench_train.json").read_text())["global_step"] == 2
    assert list((out / "logs").glob("version_*/metrics.csv"))
    generates(out)

    ckpt = torch.load(first.last_checkpoint, weights_only=True)
    assert ckpt["global_step"] == 2
    assert ckpt["state_dict"] and all("lora_" in k for k in ckpt["state_dict"])
    assert ckpt["hyper_parameters"]["config"]["max_steps"] == 2

    resumed = SFTConfig(**{**config.to_dict(), "max_steps": 4, "resume": "last"})
    second = train(resumed, records=sft_records, progress_bar=False)
    assert second.global_step == 4
    assert torch.load(second.last_checkpoint, weights_only=True)["global_step"] == 4


def test_resume_without_a_checkpoint_is_a_clear_error(tiny_model: Path, tmp_path: Path) -> None:
    config = SFTConfig(base=str(tiny_model), out=str(tmp_path), resume="last")
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        train(config, records=[{"prompt": "a", "completion": "b"}], progress_bar=False)


def test_full_dpo_resume_keeps_the_precomputed_reference(
    tiny_model: Path, sft_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    records = [
        {"prompt": r["prompt"], "chosen": r["completion"], "rejected": answer_message("pass")}
        for r in sft_records
    ]
    config = DPOConfig(
        base=str(tiny_model),
        out=str(tmp_path / "dpo"),
        lora=False,
        max_steps=2,
        batch_size=3,
        max_length=128,
    )
    first = train(config, records=records, progress_bar=False)
    reference = torch.load(first.last_checkpoint, weights_only=True)[REF_KEY]
    assert reference.shape == (len(records), 2)
    resumed = DPOConfig(**{**config.to_dict(), "max_steps": 3, "resume": "last"})
    second = train(resumed, records=records, progress_bar=False)
    assert second.global_step == 3
    assert torch.equal(torch.load(second.last_checkpoint, weights_only=True)[REF_KEY], reference)
    generates(tmp_path / "dpo")


def test_config_file_and_overrides(tmp_path: Path) -> None:
    toml = tmp_path / "train.toml"
    toml.write_text("[sft]\nlearning_rate = 0.001\nbatch_size = 8\n\n[dpo]\nbeta = 0.3\n")
    assert SFTConfig.load(toml).batch_size == 8
    assert SFTConfig.load(toml, batch_size=2, lora=None).batch_size == 2
    assert DPOConfig.load(toml).beta == 0.3
    yaml_file = tmp_path / "train.yaml"
    yaml_file.write_text("lora: false\nmax_steps: 7\n")
    cfg = DPOConfig.load(yaml_file)
    assert cfg.lora is False and cfg.max_steps == 7 and cfg.learning_rate == 5e-5
    bad = tmp_path / "bad.toml"
    bad.write_text("learning_rat = 1.0\n")
    with pytest.raises(ValueError, match="unknown sft option"):
        SFTConfig.load(bad)
    with pytest.raises(ValueError, match="beta"):
        DPOConfig(beta=0)


def test_cli_trains_merges_and_the_result_loads(
    tiny_model: Path, sft_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    data = tmp_path / "sft.jsonl"
    write_jsonl(sft_records, data)
    cfg = tmp_path / "sft.toml"
    cfg.write_text(f'base = "{tiny_model}"\nmax_steps = 5\nmax_length = 96\nbatch_size = 2\n')
    out = tmp_path / "merged"
    result = CliRunner().invoke(
        train_group,
        [
            "sft",
            "--config",
            str(cfg),
            "--data",
            str(data),
            "--out",
            str(out),
            "--merge",
            "--max-steps",
            "1",
            "--lr",
            "0.001",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "trained 1 steps" in result.output and f"hf:{out}" in result.output
    assert (out / "config.json").is_file() and not (out / "adapter_config.json").exists()
    info = json.loads((out / "optbench_train.json").read_text())
    assert info["config"]["learning_rate"] == 0.001 and info["config"]["merge"] is True
    generates(out)


def test_cli_reports_a_missing_base(tmp_path: Path) -> None:
    result = CliRunner().invoke(train_group, ["dpo", "--data", "x.jsonl", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--base is required" in result.output
