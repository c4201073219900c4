"""What a run records about where it ran: code revision, packages, machine."""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import optbench

PACKAGES = (
    "optbench",
    "hypothesis",
    "pyperf",
    "sqlalchemy",
    "alembic",
    "psutil",
    "langchain-core",
    "langchain-openai",
    "transformers",
    "torch",
)


def git_state(path: Path | None = None) -> dict[str, Any]:
    root = path or Path(optbench.__file__).resolve().parents[1]
    try:
        revision = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return {"revision": None, "dirty": None}
    if revision.returncode != 0:
        return {"revision": None, "dirty": None}
    return {"revision": revision.stdout.strip(), "dirty": bool(status.stdout.strip())}


def package_versions() -> dict[str, str]:
    versions: dict[str, str] = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


def environment(machine: dict[str, Any]) -> dict[str, Any]:
    return {
        "git": git_state(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": package_versions(),
        "machine": machine,
        "argv": sys.argv,
    }
