"""Detect which isolation layers this machine supports, and what a sandbox must see."""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import optbench
from optbench.sandbox import cgroup


@dataclass(frozen=True)
class Isolation:
    mode: str
    """``bwrap`` (bubblewrap: mount, pid, net namespaces), ``unshare`` (net namespace only)
    or ``none`` (resource limits and a process group only)."""
    network: bool
    readonly_fs: bool
    own_uid: bool
    pid_namespace: bool
    private_fs: bool = False
    """The child sees only an allowlist of host paths (:func:`visible_paths`): not the
    other checkouts, home directories or databases of the machine. Only bubblewrap can
    do this; under ``unshare`` the child sees every file its user may read."""
    seccomp: bool = False
    """Processes that run candidate code install the kernel's system-call filter
    (:mod:`optbench.runtime.seccomp`) before loading it."""
    memory_cgroup: bool = False
    """Everything a sandbox runs shares one memory limit (:mod:`optbench.sandbox.cgroup`)."""

    def describe(self) -> str:
        layers = [self.mode]
        if self.network:
            layers.append("netns")
        if self.pid_namespace:
            layers.append("pidns")
        if self.readonly_fs:
            layers.append("rofs")
        if self.private_fs:
            layers.append("allowlist")
        elif self.mode != "none":
            layers.append("hostfs")
        if self.own_uid:
            layers.append("uid")
        if self.seccomp:
            layers.append("seccomp")
        if self.memory_cgroup:
            layers.append("memcg")
        return "+".join(layers)


def _works(argv: list[str]) -> bool:
    try:
        result = subprocess.run(argv, capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def _top_level(paths: set[Path]) -> list[Path]:
    """``paths`` without those below another of them."""
    kept: list[Path] = []
    for path in sorted(paths):
        if not any(path == k or k in path.parents for k in kept):
            kept.append(path)
    return kept


SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
"""Bound read-only (or recreated as the same symlinks, on a merged-/usr system)."""
SYSTEM_FILES = (
    "/etc/ld.so.cache",  # where the dynamic loader (and ctypes.util) finds libraries
    "/etc/ld.so.conf",
    "/etc/localtime",  # the same local time as the host's, for time.localtime()
    "/etc/alternatives",  # targets of some /usr/bin links on Debian
)
"""The whole of the host's /etc a child sees: no passwd, hosts, keys or configuration."""


def needed_paths() -> list[Path]:
    """What the sandboxed interpreter must be able to read besides the system directories:
    the interpreter's installation and its standard library, the virtual environment, and
    the package folder of optbench itself (not the checkout around it: its databases,
    datasets and other files stay out of sight).

    Computed from the interpreter, not from this process's ``sys.path``: under pytest the
    latter holds the whole checkout."""
    paths = {Path(sys.base_prefix), Path(sys.prefix), Path(optbench.__file__).resolve().parent}
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        with_prefix = sysconfig.get_path(name)
        if with_prefix:
            paths.add(Path(with_prefix))
    exe = Path(sys.executable)
    paths.add(exe.parent)
    paths.add(exe.resolve().parent)
    resolved = {p.resolve() for p in paths if p.exists()}
    system = [Path(d).resolve() for d in SYSTEM_DIRS if Path(d).exists()]
    return [p for p in _top_level(resolved) if not any(p == s or s in p.parents for s in system)]


def _probe_bwrap(bwrap: str) -> bool:
    argv = [bwrap]
    for directory in SYSTEM_DIRS:
        path = Path(directory)
        if path.is_symlink():
            argv += ["--symlink", os.readlink(path), directory]
        elif path.is_dir():
            argv += ["--ro-bind", directory, directory]
    argv += ["--unshare-net", "--unshare-pid", "--dev", "/dev", "--proc", "/proc"]
    argv += ["--size", str(1 << 20), "--tmpfs", "/tmp", "--remount-ro", "/", "true"]
    return _works(argv)


def _probe_seccomp() -> str:
    """``ok`` when a child of this interpreter can install the filter and the kernel
    enforces it (see :func:`optbench.runtime.seccomp.self_test`), else why not."""
    argv = [sys.executable, "-s", "-P", "-B", "-m", "optbench.runtime.seccomp"]
    try:
        result = subprocess.run(
            argv, capture_output=True, timeout=30, env={"PATH": "/usr/bin:/bin"}
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"the check could not run: {exc}"
    said = result.stdout.decode(errors="replace").strip()
    if result.returncode == 0 and said == "ok":
        return "ok"
    return said or result.stderr.decode(errors="replace").strip()[-300:] or "the check failed"


@functools.cache
def detect_isolation() -> Isolation:
    if os.environ.get("OPTBENCH_SANDBOX") == "none":
        return Isolation("none", False, False, False, False)
    root = os.geteuid() == 0
    why_not = _probe_seccomp()
    seccomp = why_not == "ok"
    if not seccomp:
        logging.getLogger(__name__).warning(
            "candidate code runs without the seccomp system-call filter (%s); "
            "verdicts and measurements record the sandbox's layers without +seccomp",
            why_not,
        )
    memory_cgroup = cgroup.detect() is not None
    bwrap = shutil.which("bwrap")
    if bwrap and _probe_bwrap(bwrap):
        own_uid = root and shutil.which("setpriv") is not None
        return Isolation("bwrap", True, True, own_uid, True, True, seccomp, memory_cgroup)
    unshare = shutil.which("unshare")
    if unshare:
        flags = ["-n"] if root else ["-rn"]
        if _works([unshare, *flags, "true"]):
            return Isolation("unshare", True, False, False, False, False, seccomp, memory_cgroup)
    return Isolation("none", False, False, False, False, False, seccomp, memory_cgroup)
