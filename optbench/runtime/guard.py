"""An audit hook that turns sandbox-policy violations into a clear report.

Installed in a verification worker before candidate code is loaded, right after the
kernel's system-call filter (:mod:`optbench.runtime.seccomp`). It is not the enforcement
layer: it runs in the candidate's own interpreter, which can switch it off (clear its
tables, or find its closure), and then the filter, the sandbox's namespaces, allowlisted
read-only file system, user id and resource limits still refuse the same things. Its job
is the verdict: "rejected: attempted os.fork" reads better than a candidate that failed
with ``PermissionError``.

On the first violation the hook calls ``on_violation`` with a description; the worker
reports it on its protocol pipe and exits at once, so the candidate cannot catch it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

_ALWAYS = {
    "subprocess.Popen": "start a subprocess",
    "os.system": "run a shell command (os.system)",
    "os.exec": "replace the process (os.exec*)",
    "os.fork": "fork (os.fork)",
    "os.forkpty": "fork (os.forkpty)",
    "os.posix_spawn": "spawn a process (os.posix_spawn)",
    "os.spawn": "spawn a process (os.spawn*)",
    "os.kill": "send a signal (os.kill)",
    "os.killpg": "send a signal to a process group (os.killpg)",
    "signal.pthread_kill": "send a signal (signal.pthread_kill)",
    "socket.__new__": "open a socket",
    "socket.connect": "open a network connection",
    "socket.bind": "bind a network socket",
    "socket.sendto": "send over the network",
    "socket.sendmsg": "send over the network",
    "ctypes.dlsym": "use ctypes (dlsym)",
    "ctypes.call_function": "call a foreign function through ctypes",
    "ctypes.cdata": "access raw memory through ctypes",
    "ctypes.string_at": "read raw memory through ctypes",
    "ctypes.wstring_at": "read raw memory through ctypes",
    "ctypes.set_errno": "use ctypes (set_errno)",
}

_PATH_WRITES = {
    "os.remove": "delete",
    "os.rmdir": "remove the directory",
    "os.mkdir": "create the directory",
    "os.rename": "rename",
    "os.link": "link",
    "os.symlink": "symlink",
    "os.chmod": "chmod",
    "os.chown": "chown",
    "os.truncate": "truncate",
    "os.utime": "touch",
    "shutil.rmtree": "delete the tree",
}

_NETWORK_FAMILIES = frozenset({2, 10})
"""AF_INET, AF_INET6."""
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_HARMLESS_PATHS = {os.devnull}


def install(workdir: str | None, on_violation: Callable[[str], None]) -> None:
    """Install the hook; writes are allowed only below ``workdir``, or nowhere (but
    ``/dev/null``) when it is ``None``: code being measured must not leave files that a
    later execution could read its results back from."""
    root = os.path.realpath(workdir) if workdir is not None else None
    where = "outside its temp dir" if root is not None else "while being measured"
    busy = [False]

    def inside(path: Any) -> bool:
        if isinstance(path, int):
            return True  # an already-open descriptor: what it may do was decided at open
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, str):
            return False
        if path in _HARMLESS_PATHS:
            return True
        if root is None:
            return False
        full = os.path.realpath(path)
        return full == root or full.startswith(root + os.sep)

    def describe(event: str, args: tuple[Any, ...]) -> str | None:
        if event in _ALWAYS:
            detail = ""
            if event == "socket.__new__":
                family = args[1] if len(args) > 1 else None
                if family in _NETWORK_FAMILIES:
                    return f"attempted to open a network connection (family {family})"
                detail = f" (family {family})"
            elif event.startswith("socket.") and len(args) > 1:
                detail = f" to {args[1]!r}"
            elif event in ("os.kill", "os.killpg") and len(args) > 1:
                detail = f" {args[1]} to pid {args[0]}"
            elif event in ("os.exec", "os.system", "subprocess.Popen", "os.posix_spawn"):
                detail = f": {str(args[:2])[:200]}"
            return f"attempted to {_ALWAYS[event]}{detail}"
        if event == "ctypes.dlopen" and args and args[0] is not None:
            return f"attempted to load a native library through ctypes ({args[0]!r})"
        if event == "open" and args:
            path, mode = args[0], args[1] if len(args) > 1 else None
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool(
                flags & _WRITE_FLAGS
            )
            if writing and not inside(path):
                return f"attempted to open {path!r} for writing {where}"
            return None
        if event in _PATH_WRITES:
            paths = [a for a in args[:2] if isinstance(a, str | bytes)]
            for path in paths:
                if not inside(path):
                    return f"attempted to {_PATH_WRITES[event]} {path!r} {where}"
        return None

    watched = frozenset(_ALWAYS) | frozenset(_PATH_WRITES) | _SPECIAL

    def hook(event: str, args: tuple[Any, ...]) -> None:
        # every audited event of the process (``id()`` included) comes through here:
        # the first test must be the cheapest one
        if event not in watched or busy[0]:
            return
        busy[0] = True
        try:
            what = describe(event, args)
        except Exception:
            what = f"attempted {event} (unexpected arguments)"
        finally:
            busy[0] = False
        if what is not None:
            on_violation(what)

    sys.addaudithook(hook)


_SPECIAL = frozenset({"open", "ctypes.dlopen"})
