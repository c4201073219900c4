"""bench/train_throughput.py: the CPU smoke configuration runs every case, and the GPU
configuration (the ~1.3B model) runs where a CUDA device is present."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("trl")
pytest.importorskip("pytorch_lightning")

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "train_throughput.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_throughput", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(tmp_path: Path, *args: str, timeout: float) -> dict:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), *args, "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "tokens/s" in proc.stdout
    return json.loads(out.read_text())


def test_peaks_follow_the_device_name() -> None:
    bench = _script()
    assert bench.peak_tflops("NVIDIA H100 80GB HBM3") == 989.0
    assert bench.peak_tflops("NVIDIA H100 PCIe") == 756.0
    assert bench.peak_tflops("NVIDIA A100-SXM4-80GB") == 312.0
    assert bench.peak_tflops("CPU x86_64 (2 threads)") is None


def test_the_1_3b_shape_has_1_3b_parameters() -> None:
    """The default model is DeepSeek-Coder-1.3B's shape: counted on the meta device."""
    torch = pytest.importorskip("torch")
    from transformers import LlamaConfig, LlamaForCausalLM

    with torch.device("meta"):
        model = LlamaForCausalLM(LlamaConfig(**_script().DEEPSEEK_CODER_1_3B))
    n = sum(p.numel() for p in model.parameters())
    assert 1.2e9 < n < 1.5e9


@pytest.mark.slow
def test_every_case_runs_on_cpu_with_the_tiny_model(tmp_path: Path) -> None:
    report = _run(
        tmp_path,
        "--tiny", "--steps", "2", "--warmup", "1", "--seq-len", "32", "--batch-size", "2",
        "--peak-tflops", "1",
        timeout=600,
    )  # fmt: skip
    rows = {row["case"]: row for row in report["rows"]}
    assert set(rows) == {"lightning-sft", "trl-sft", "lightning-dpo", "trl-dpo"}
    assert report["failed"] == []
    n = report["meta"]["n_params"]
    for case, row in rows.items():
        assert row["steps"] == 2, case
        assert len(row["step_times"]) == 2 and min(row["step_times"]) > 0, case
        assert row["tokens_per_s"] == pytest.approx(2 * row["tokens_per_example"] / row["step_s"])
        assert row["mfu"] == pytest.approx(6 * n * row["tokens_per_s"] / 1e12)
    # A DPO example is a chosen and a rejected sequence; TRL adds no EOS to SFT completions.
    assert rows["lightning-sft"]["tokens_per_example"] == 32
    assert rows["lightning-dpo"]["tokens_per_example"] == 64
    assert 30 <= rows["trl-sft"]["tokens_per_example"] <= 32
    assert 60 <= rows["trl-dpo"]["tokens_per_example"] <= 64


@pytest.mark.gpu
def test_the_1_3b_configuration_on_a_gpu(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    report = _run(tmp_path, "--steps", "3", "--warmup", "1", "--lora", timeout=1800)
    assert report["failed"] == []
    assert report["meta"]["n_params"] > 1.2e9
    for row in report["rows"]:
        assert row["tokens_per_s"] > 0
        if report["meta"]["peak_tflops"]:
            assert 0 < row["mfu"] < 1
