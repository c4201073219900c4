from __future__ import annotations

from pathlib import Path

import pytest

from optbench.run.config import ConfigError, RunConfig, load_config


def test_cli_overrides_file(tmp_path: Path) -> None:
    path = tmp_path / "exp.toml"
    path.write_text(
        'dataset = "optbench-py"\ntechniques = ["identity", "few_shot(k=4)"]\nprofile = "default"\nseed = 3\n'
    )
    config = load_config(path)
    assert config.techniques == ["identity", "few_shot(k=4)"]
    config.update(
        {"profile": "quick", "techniques": "reference,few_shot(k=2,temperature=0.5)"},
        "command line",
    )
    assert config.profile == "quick" and config.seed == 3
    assert config.technique_specs()[1] == ("few_shot", {"k": 2, "temperature": 0.5})


def test_run_table_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "exp.toml"
    path.write_text("[run]\nlimit = 5\n")
    assert load_config(path).limit == 5


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("profile = 'fastest'", "field 'profile' must be one of"),
        ("limit = 'ten'", "field 'limit' must be an integer"),
        ("colour = 'blue'", "unknown field 'colour'"),
        ("techniques = 'few_shot(k=)'", "field 'techniques'"),
        ("techniques = []", "field 'techniques' is empty"),
        ("samples = 0", "field 'samples' must be positive"),
        ("dataset = = 1", "bad TOML"),
        ("use_cache = 'yes'", "use_cache"),
    ],
)
def test_malformed_config_names_file_and_field(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert needle in str(info.value)
    assert str(path) in str(info.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.toml")


def test_round_trip() -> None:
    config = RunConfig(techniques=["identity"], limit=2)
    assert RunConfig.from_dict(config.to_dict()) == config


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"executor": "dask"}, "field 'executor' must be one of"),
        ({"ray_address": "127.0.0.1:6379"}, "field 'ray_address' needs executor 'ray'"),
        ({"executor": "ray", "ray_address": " "}, "field 'ray_address' is empty"),
    ],
)
def test_executor_fields_are_validated(data: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        RunConfig.from_dict(data, source="cfg")


def test_executor_defaults_to_local_and_round_trips() -> None:
    assert RunConfig().executor == "local" and RunConfig().ray_address is None
    config = RunConfig.from_dict({"executor": "ray", "ray_address": "auto"})
    assert RunConfig.from_dict(config.to_dict()) == config
