"""Detect which isolation layers this machine supports."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import optbench


@dataclass(frozen=True)
class Isolation:
    mode: str
    """``bwrap`` (bubblewrap: mount, pid, net namespaces), ``unshare`` (net namespace only)
    or ``none`` (resource limits and a process group only)."""
    network: bool
    readonly_fs: bool
    own_uid: bool
    pid_namespace: bool

    def describe(self) -> str:
        layers = [self.mode]
        if self.network:
            layers.append("netns")
        if self.pid_namespace:
            layers.append("pidns")
        if self.readonly_fs:
            layers.append("rofs")
        if self.own_uid:
            layers.append("uid")
        return "+".join(layers)


def _works(argv: list[str]) -> bool:
    try:
        result = subprocess.run(argv, capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def needed_paths() -> list[Path]:
    """What the sandboxed interpreter must be able to read."""
    paths = {Path(sys.base_prefix), Path(sys.prefix), Path(optbench.__file__).resolve().parents[1]}
    paths.update(Path(p) for p in sys.path if p and Path(p).is_dir())
    exe = Path(sys.executable)
    paths.add(exe.parent)
    paths.add(exe.resolve().parent)
    return sorted(p.resolve() for p in paths)


def hidden_ancestors(paths: list[Path]) -> dict[Path, list[Path]]:
    """Ancestors another user cannot traverse (e.g. ``/root``), with the needed paths below them."""
    hidden: dict[Path, list[Path]] = {}
    for path in paths:
        for ancestor in reversed(path.parents):
            if ancestor == Path("/"):
                continue
            try:
                mode = ancestor.stat().st_mode
            except OSError:
                break
            if not mode & 0o001:
                hidden.setdefault(ancestor, []).append(path)
                break
    return hidden


@functools.cache
def detect_isolation() -> Isolation:
    if os.environ.get("OPTBENCH_SANDBOX") == "none":
        return Isolation("none", False, False, False, False)
    root = os.geteuid() == 0
    bwrap = shutil.which("bwrap")
    if bwrap and _works(
        [
            bwrap,
            "--ro-bind",
            "/",
            "/",
            "--unshare-net",
            "--unshare-pid",
            "--dev",
            "/dev",
            "--proc",
            "/proc",
            "true",
        ]
    ):
        own_uid = root and shutil.which("setpriv") is not None
        return Isolation("bwrap", True, True, own_uid, True)
    unshare = shutil.which("unshare")
    if unshare:
        flags = ["-n"] if root else ["-rn"]
        if _works([unshare, *flags, "true"]):
            return Isolation("unshare", True, False, False, False)
    return Isolation("none", False, False, False, False)
