"""One memory cgroup per sandbox: a bound on the memory of everything the sandbox runs,
together, tmpfs files included (the kernel charges a tmpfs page to the group of the
process that wrote it).

``RLIMIT_AS`` bounds each process on its own; the group bounds their sum, and the kernel
kills a process of the group when the sum would pass the limit. The groups are made below
the harness's own cgroup (so whatever bounds the harness still bounds them), in the
unified hierarchy (cgroup v2, ``memory.max``) or the v1 memory hierarchy
(``memory.limit_in_bytes``), whichever holds the memory controller here. Making them needs
write access to that directory (root, or a delegated group); without it
:func:`detect` returns ``None`` and the sandbox records that no group bounds it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CgroupRoot:
    """Where this process may make memory cgroups."""

    version: int
    path: Path

    def limit_files(self) -> tuple[str, ...]:
        """Files that take the limit in bytes, in the order they must be written."""
        if self.version == 2:
            return ("memory.max",)
        return ("memory.limit_in_bytes", "memory.memsw.limit_in_bytes")


def _own_cgroups() -> dict[str, str]:
    """Controller (``""`` for the unified hierarchy) -> this process's group path."""
    groups: dict[str, str] = {}
    with open("/proc/self/cgroup", encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split(":", 2)
            if len(parts) != 3:
                continue
            for controller in parts[1].split(",") if parts[1] else [""]:
                groups[controller] = parts[2]
    return groups


def _mounts() -> list[tuple[str, str, set[str]]]:
    """(mount point, file system type, super options) of every cgroup mount."""
    found: list[tuple[str, str, set[str]]] = []
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if "-" not in fields:
                continue
            dash = fields.index("-")
            fstype = fields[dash + 1]
            if fstype in ("cgroup", "cgroup2"):
                options = set(fields[dash + 3].split(",")) if len(fields) > dash + 3 else set()
                found.append((fields[4], fstype, options))
    return found


def _candidates() -> list[CgroupRoot]:
    try:
        own = _own_cgroups()
        mounts = _mounts()
    except OSError:
        return []
    roots: list[CgroupRoot] = []
    for point, fstype, options in mounts:
        if fstype == "cgroup2" and "" in own:
            base = Path(point) / own[""].lstrip("/")
            try:
                controllers = (base / "cgroup.controllers").read_text().split()
            except OSError:
                continue
            if "memory" in controllers:
                roots.append(CgroupRoot(2, base))
        elif fstype == "cgroup" and "memory" in options and "memory" in own:
            roots.append(CgroupRoot(1, Path(point) / own["memory"].lstrip("/")))
    return roots


def _enable_memory(root: CgroupRoot) -> None:
    """cgroup v2: children get a memory controller only where the parent delegates it."""
    if root.version != 2:
        return
    control = root.path / "cgroup.subtree_control"
    if "memory" not in control.read_text().split():
        control.write_text("+memory")


@functools.cache
def detect() -> CgroupRoot | None:
    """A directory where memory cgroups can be made and limited here, or ``None``."""
    for root in _candidates():
        probe = root.path / f"optbench-probe-{os.getpid()}"
        try:
            _enable_memory(root)
            probe.mkdir()
        except OSError:
            continue
        try:
            (probe / root.limit_files()[0]).write_text(str(64 * 1024 * 1024))
            return root
        except OSError:
            continue
        finally:
            with contextlib.suppress(OSError):
                probe.rmdir()
    return None


class MemoryCgroup:
    """A memory cgroup with a limit; :meth:`remove` kills what is left in it."""

    def __init__(self, root: CgroupRoot, name: str, limit_bytes: int) -> None:
        self.root = root
        self.path = root.path / name
        self.path.mkdir()
        try:
            for filename in root.limit_files():
                target = self.path / filename
                if target.exists():
                    target.write_text(str(limit_bytes))
            swap = self.path / "memory.swap.max"
            if root.version == 2 and swap.exists():
                swap.write_text("0")
        except OSError:
            self.remove()
            raise

    @property
    def procs(self) -> Path:
        """Writing a pid here moves that process (and its future children) into the group."""
        return self.path / "cgroup.procs"

    def peak_bytes(self) -> int | None:
        """The most memory the group has held at once (``None`` where the kernel does not
        keep it: cgroup v2 before Linux 5.19)."""
        name = "memory.peak" if self.root.version == 2 else "memory.max_usage_in_bytes"
        try:
            return int((self.path / name).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def pids(self) -> list[int]:
        try:
            return [int(p) for p in self.procs.read_text().split()]
        except (OSError, ValueError):
            return []

    def remove(self, timeout: float = 5.0) -> None:
        """Kill every process of the group, then remove it."""
        kill = self.path / "cgroup.kill"
        deadline = time.monotonic() + timeout
        killed: set[int] = set()
        while True:
            pids = self.pids()  # a process that was killed stays listed until it is gone
            if not pids:
                break
            if kill.exists():
                with contextlib.suppress(OSError):
                    kill.write_text("1")
            for pid in set(pids) - killed:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            if time.monotonic() > deadline:
                break
            time.sleep(0.001)
        while True:
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                if time.monotonic() > deadline:
                    return  # left behind, empty: a group holds no memory once its tasks are gone
                time.sleep(0.005)
