from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed child (and everything it starts)."""

    cpu_s: int = 120
    """RLIMIT_CPU: CPU seconds before SIGXCPU/SIGKILL."""
    memory_mb: int = 2048
    """RLIMIT_AS: address space. Generous because the interpreter maps a lot up front."""
    nproc: int = 64
    """RLIMIT_NPROC, enforced when the child runs under its own user id."""
    fsize_mb: int = 64
    """RLIMIT_FSIZE: the largest file the child may write."""
    nofile: int = 256
    wall_s: float = 300.0
    """Wall-clock limit of the whole child; the process tree is killed after it."""
    max_output_bytes: int = 16 * 1024 * 1024
    """Captured stdout/stderr beyond this is discarded (and reported as truncated)."""
    tmpfs_mb: int = 128
    """Size of each of the sandbox's private /tmp and /dev/shm (bubblewrap only)."""
    memory_total_mb: int | None = None
    """Memory of everything the sandbox runs together, its tmpfs files included (a memory
    cgroup, where the machine lets one be made); ``None``: ``memory_mb`` plus room for the
    tmpfs and the measurement's pyperf manager and worker beside the timed process."""

    @property
    def total_memory_mb(self) -> int:
        if self.memory_total_mb is not None:
            return self.memory_total_mb
        return self.memory_mb + 2 * self.tmpfs_mb + 512

    def with_(self, **changes: float | int) -> Limits:
        return replace(self, **changes)  # type: ignore[arg-type]
