"""The kernel's half of the sandbox policy: a seccomp filter that a process installs on
itself after its own start-up and before it loads candidate code.

Unlike the audit hook of :mod:`optbench.runtime.guard`, which the candidate can switch off
(it runs in the same interpreter), a seccomp filter cannot be removed or loosened by the
process, or by anything it runs. What it refuses fails with ``EPERM`` (a
``PermissionError`` in Python):

- new processes: ``fork``, ``vfork``, ``clone`` without ``CLONE_THREAD`` or with a
  ``CLONE_NEW*`` flag; ``clone3`` fails with ``ENOSYS`` (its flags are behind a pointer a
  filter cannot read), so glibc falls back to ``clone`` and threads still start;
- running programs (``execve``, ``execveat``);
- data hidden in file metadata, which outlives the process: ``mknod``, ``utime*``,
  ``chmod``, ``chown``, extended attributes; links and symlinks;
- sockets of any kind, and ``connect``/``bind``/``listen``/``accept`` on one inherited;
- System V IPC objects and POSIX message queues, which outlive the process;
- signals to any process but itself (``kill``, ``tgkill``, ``rt_*sigqueueinfo`` with
  another pid; ``tkill``; pidfds), ``ptrace`` and access to another process's memory;
- mounts and namespaces, ``io_uring`` (which can open files and sockets past a filter),
  ``bpf``, ``userfaultfd``, ``perf_event_open``, the kernel keyring, and adding seccomp
  filters of its own (a notifying filter would let one thread answer another's system
  calls, the clock's included).

Profile ``measured`` also refuses everything that changes the file system: opening a
file for writing or creating one, ``mkdir``, ``rename``, ``unlink``, ``truncate``. What a
measured execution writes must go to the descriptors it inherited (its report pipe, its
output), so nothing it leaves can be read back by a later execution.

Profile ``counted`` is the ``worker`` profile for a process whose instructions valgrind
counts (``measure_worker.py count``): loaded without synchronising threads, which valgrind
cannot do (it implements neither the ``seccomp`` system call nor thread sync; the counted
process has one thread and ``RLIMIT_NPROC`` of 1, so there is nothing to synchronise), and
without ``measured``'s write rules, since cachegrind writes its output file from the
counted process itself when it exits.

Threads keep working, and so does the worker's own reporting: writing to descriptors it
already has, reading files, ``exit``. The filter needs libseccomp (Debian ``libseccomp2``)
and its ctypes binding ``pyseccomp``; :func:`prepare` loads both before the candidate runs
(later, the audit hook would take the library load for the candidate's). Whether the
filter is required comes from the sandbox (``OPTBENCH_SECCOMP``, see
:mod:`optbench.sandbox.isolation`): when it is, a process that cannot install it refuses
to run the code.
"""

from __future__ import annotations

import errno
import os
import platform
from typing import Any, Literal

Profile = Literal["worker", "measured", "counted"]

ENV = "OPTBENCH_SECCOMP"
"""``required``: install the filter or refuse to run; ``off``: do not install it (the
sandbox found no working seccomp, and says so); unset: install it when possible."""

CLONE_THREAD = 0x00010000
CLONE_NEW_FLAGS = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
)
PR_SET_SECCOMP = 22

DENIED = (
    # processes and programs
    "fork", "vfork", "execve", "execveat",
    # metadata that outlives the process (data hidden in names, times, modes, owners)
    "mknod", "mknodat", "utime", "utimes", "utimensat", "futimesat",
    "chmod", "fchmod", "fchmodat", "fchmodat2",
    "chown", "fchown", "lchown", "fchownat",
    "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
    "link", "linkat", "symlink", "symlinkat",
    # network and local sockets
    "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
    # System V and POSIX message queues, semaphores, shared memory: all outlive the process
    "shmget", "msgget", "semget", "mq_open", "mq_unlink",
    # other processes
    "tkill", "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
    "pidfd_open", "pidfd_send_signal", "pidfd_getfd",
    # mounts and namespaces
    "mount", "umount", "umount2", "unshare", "setns", "pivot_root", "chroot",
    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    # kernel interfaces that bypass a filter or widen the attack surface
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "bpf", "userfaultfd", "perf_event_open", "add_key", "request_key", "keyctl",
    "seccomp", "setsid", "setpgid",
)  # fmt: skip
"""Refused with ``EPERM`` in every profile."""

UNSUPPORTED = ("clone3", "openat2")
"""Refused with ``ENOSYS``: their arguments are behind a pointer the filter cannot read,
and the C library falls back to ``clone`` and ``openat``, which it can."""

WRITES = (
    "creat", "mkdir", "mkdirat", "rename", "renameat", "renameat2",
    "unlink", "unlinkat", "rmdir", "truncate",
)  # fmt: skip
"""Refused in profile ``measured`` (besides opening a file for writing)."""

WRITE_FLAGS = (os.O_WRONLY, os.O_RDWR, os.O_CREAT, os.O_TRUNC, os.O_APPEND)

SIGNALS_TO_SELF = {"kill": 0, "tgkill": 0, "rt_sigqueueinfo": 0, "rt_tgsigqueueinfo": 0}
"""Signal calls allowed only when their pid argument (index given) is the process's own."""

NEWER = {
    "setxattrat": 463,
    "removexattrat": 466,
    "open_tree_attr": 467,
    "file_setattr": 469,
}
"""Calls a libseccomp release may not know by name yet, by their number in the table that
every architecture shares for calls added since Linux 5.1."""
UNIFIED_TABLE_MACHINES = frozenset({"x86_64", "aarch64", "riscv64"})

_binding: Any = None
_error: str | None = None


class SeccompUnavailable(RuntimeError):
    """The filter is required here but cannot be installed."""


def prepare() -> bool:
    """Load pyseccomp and libseccomp now, before the candidate's code (and the audit hook
    that would see the library load as the candidate's). True when they are usable."""
    global _binding, _error
    if _binding is not None:
        return True
    if _error is not None:
        return False
    try:
        pyseccomp = _import_binding()
    except Exception as exc:  # ImportError, or RuntimeError when libseccomp is missing
        _error = (
            f"no seccomp filter: {type(exc).__name__}: {exc} "
            "(install Debian's libseccomp2 and the pyseccomp package)"
        )
        return False
    _binding = pyseccomp
    return True


SONAMES = {"c": "libc.so.6", "seccomp": "libseccomp.so.2"}
"""The libraries pyseccomp looks up, by the names glibc's loader knows them by."""


def _import_binding() -> Any:
    """Import pyseccomp with its two library look-ups answered by their sonames: ctypes'
    ``find_library`` runs ``ldconfig -p`` in a subprocess for each (about 35 ms of every
    sandboxed process's start-up). Where the sonames do not load, the real look-up runs."""
    import ctypes.util

    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: SONAMES.get(name) or real(name)
    try:
        import pyseccomp
    except OSError:
        ctypes.util.find_library = real
        import pyseccomp
    finally:
        ctypes.util.find_library = real
    return pyseccomp


def wanted() -> str:
    """What the sandbox asked for: ``required``, ``off`` or ``auto``."""
    value = os.environ.get(ENV, "auto")
    return value if value in ("required", "off") else "auto"


def enforce(profile: Profile) -> bool:
    """Install the filter if the sandbox asks for it (see :data:`ENV`). True when it is in
    force; raises :class:`SeccompUnavailable` when it is required and cannot be."""
    mode = wanted()
    if mode == "off":
        return False
    try:
        install(profile)
    except SeccompUnavailable:
        if mode == "required":
            raise
        return False
    return True


def install(profile: Profile) -> None:
    """Build and load the filter for this process (and its threads)."""
    if not prepare():
        raise SeccompUnavailable(_error or "no seccomp filter")
    try:
        _build(_binding, profile, os.getpid()).load()
    except OSError as exc:
        raise SeccompUnavailable(f"the seccomp filter could not be loaded: {exc}") from exc


def _build(sc: Any, profile: Profile, pid: int) -> Any:
    deny = sc.ERRNO(errno.EPERM)
    rules = sc.SyscallFilter(sc.ALLOW)
    for attribute, value in _attributes(sc, profile):
        try:
            rules.set_attr(attribute, value)
        except (OSError, AttributeError):
            if attribute in (sc.Attr.ACT_BADARCH, sc.Attr.CTL_TSYNC):
                raise
    numbers = _Numbers(sc)
    for name in DENIED:
        numbers.add(rules, deny, name)
    for name in UNSUPPORTED:
        numbers.add(rules, sc.ERRNO(errno.ENOSYS), name)
    numbers.add(rules, deny, "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_THREAD, 0))
    for flag in CLONE_NEW_FLAGS:
        numbers.add(rules, deny, "clone", sc.Arg(0, sc.MASKED_EQ, flag, flag))
    for name, index in SIGNALS_TO_SELF.items():
        numbers.add(rules, deny, name, sc.Arg(index, sc.NE, pid))
    numbers.add(rules, deny, "prctl", sc.Arg(0, sc.EQ, PR_SET_SECCOMP))
    if profile == "measured":
        for name in WRITES:
            numbers.add(rules, deny, name)
        for flag in WRITE_FLAGS:
            numbers.add(rules, deny, "open", sc.Arg(1, sc.MASKED_EQ, flag, flag))
            numbers.add(rules, deny, "openat", sc.Arg(2, sc.MASKED_EQ, flag, flag))
    return rules


def _attributes(sc: Any, profile: Profile) -> list[tuple[Any, Any]]:
    if profile == "counted":
        # what valgrind can load (through ``prctl``: no thread sync, no flags, no
        # KILL_PROCESS); a call of another ABI kills the thread, here the whole process
        return [(sc.Attr.ACT_BADARCH, sc.KILL), (sc.Attr.CTL_OPTIMIZE, 2)]
    return [
        (sc.Attr.ACT_BADARCH, sc.KILL_PROCESS),  # another ABI's calls (int 0x80, x32)
        (sc.Attr.CTL_TSYNC, 1),
        (sc.Attr.CTL_SSB, 1),  # no speculative-store-bypass slowdown of filtered processes
        (sc.Attr.CTL_OPTIMIZE, 2),  # a binary tree: every allowed call pays O(log n)
    ]


class _Numbers:
    """System call numbers of this machine; a call it does not have is skipped (an old
    kernel's missing call cannot be made anyway, ``open`` does not exist on arm64)."""

    def __init__(self, sc: Any) -> None:
        self.sc = sc
        self.unified = platform.machine() in UNIFIED_TABLE_MACHINES

    def number(self, name: str) -> int | None:
        number = self.sc.resolve_syscall(self.sc.Arch.NATIVE, name)
        if isinstance(number, int) and number >= 0:
            return number
        if self.unified and name in NEWER:
            return NEWER[name]
        return None

    def add(self, rules: Any, action: int, name: str, *args: Any) -> None:
        number = self.number(name)
        if number is not None:
            rules.add_rule(action, number, *args)


def self_test() -> str:
    """Install the ``measured`` filter in this (throw-away) process and check that the
    kernel enforces it; ``ok`` or what failed. Run by the sandbox's detection in a child."""
    import threading

    try:
        install("measured")
    except SeccompUnavailable as exc:
        return str(exc)
    try:
        pid = os.fork()
    except PermissionError:
        pass
    else:
        if pid == 0:
            os._exit(0)
        return "fork was not refused"
    try:
        os.open(os.devnull, os.O_WRONLY)
    except PermissionError:
        pass
    else:
        return "opening for writing was not refused"
    ran: list[bool] = []
    thread = threading.Thread(target=ran.append, args=(True,))
    thread.start()
    thread.join()
    return "ok" if ran else "threads do not run under the filter"


if __name__ == "__main__":
    print(self_test())
