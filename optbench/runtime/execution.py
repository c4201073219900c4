"""The one way code runs inside the sandbox: loading it, calling a function on an input,
executing a program on fds 0 and 1, and the one cap on what a program may write.

Every sandboxed process uses these and nothing else to run code: the verification
worker (:mod:`.worker`, through :mod:`.outcome`), the measurement worker's timed
children and its instruction count (:mod:`.measure_worker`), and the line profiler
(:mod:`.line_profile`). So a program reads and writes the same streams, hits the same
output cap, and a function's returned iterator is consumed the same way, whether it is
being verified, timed, counted or profiled.

A program's standard input and output are in-memory files (``memfd_create``) bound to fds
0 and 1 for each execution (:class:`ProgramIO`): nothing is written to the sandbox's
disk, ``open(0).read()``, ``os.read(0, n)`` and ``os.write(1, ...)`` see the same
streams as ``sys.stdin`` and ``sys.stdout``, and rebinding them is a few system calls,
cheap enough to sit inside a timed region.
"""

from __future__ import annotations

import builtins
import contextlib
import fcntl
import io
import os
import resource
import sys
from collections.abc import Callable, Iterator
from types import CodeType
from typing import Any

MAX_OUTPUT_BYTES = 16 * 1024 * 1024
"""The one cap on what a program may write to stdout, verified or measured (a quarter of
the sandbox's file-size limit)."""
MAX_YIELDED = 1_000_000
"""A returned iterator may yield this many items; more is an error."""
MODULE_NAME = "solution"
"""The module name a function's code is loaded under, in every process that runs it, so
exception classes it defines compare by the same qualified name."""

Streams = tuple[io.TextIOWrapper, io.TextIOWrapper]


class IteratorTooLong(Exception):
    """A returned iterator yielded more than :data:`MAX_YIELDED` items."""


class OutputLimitExceeded(OSError):
    """A program wrote more than :data:`MAX_OUTPUT_BYTES` bytes to stdout."""


def consume(value: Any) -> Any:
    """The list of what ``value`` yields when it is a one-shot iterator (a generator,
    ``map``, ``zip``, ``itertools`` object...), else ``value`` itself.

    A caller of a function that returns an iterator consumes it, so the work the iterator
    does lazily belongs to the call (it is timed, and what it raises is what the call
    raises), and two iterators can only be compared by what they yield. A function that
    returns a list where the original returned a generator of the same items is therefore
    equivalent to it.
    """
    if not isinstance(value, Iterator):
        return value
    items = []
    for item in value:
        items.append(item)
        if len(items) > MAX_YIELDED:
            raise IteratorTooLong(f"the returned iterator yields more than {MAX_YIELDED} items")
    return items


def fresh_namespace(name: str = MODULE_NAME) -> dict[str, Any]:
    """The globals of one execution of the code (``__main__`` for a program)."""
    return {"__name__": name, "__builtins__": builtins}


def load_entry(code: CodeType, namespace: dict[str, Any], entry_point: str) -> Callable[..., Any]:
    """Execute a function's module code in ``namespace`` and return its entry point."""
    exec(code, namespace)
    fn = namespace.get(entry_point)
    if fn is None:
        raise LookupError(f"defines no {entry_point!r}")
    if not callable(fn):
        raise TypeError(f"{entry_point!r} is not callable")
    return fn


def call(fn: Callable[..., Any], args: tuple[Any, ...] | list[Any]) -> Any:
    """One call of a function on its (already copied) arguments: what it returns, a
    returned iterator consumed (see :func:`consume`)."""
    return consume(fn(*args))


def exit_code(code: object) -> int:
    """The exit status ``SystemExit(code)`` stands for."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


class ProgramIO:
    """Standard input and output of a program at the file-descriptor level.

    fd 0 reads the input from its start and fd 1 writes into an in-memory file. Made
    before the code loads; the input is sealed, so no execution can change what the next
    one reads, and :meth:`feed` replaces it with another. The descriptors kept here sit
    above 2 and close on exec; :meth:`rewind` binds them to fds 0 and 1.
    """

    def __init__(self, stdin: bytes = b"") -> None:
        self.stdin_fd = _sealed(stdin)
        self.stdout_fd = _high_fd(os.memfd_create("optbench-stdout", os.MFD_CLOEXEC))

    @property
    def fds(self) -> tuple[int, int]:
        return self.stdin_fd, self.stdout_fd

    def feed(self, stdin: bytes) -> None:
        """The input of the next executions."""
        old, self.stdin_fd = self.stdin_fd, _sealed(stdin)
        os.close(old)

    def streams(self) -> Streams:
        """Text streams over fds 0 and 1 for one execution (made outside a timed region)."""
        stdin = io.TextIOWrapper(
            io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8"
        )
        stdout = io.TextIOWrapper(
            io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8"
        )
        return stdin, stdout

    def rewind(self) -> None:
        """fd 0 at the start of the input, fd 1 an empty output: a few system calls,
        inside a timed region (the code may have closed or moved either)."""
        os.dup2(self.stdin_fd, 0)
        os.lseek(0, 0, os.SEEK_SET)
        os.dup2(self.stdout_fd, 1)
        os.ftruncate(1, 0)
        os.lseek(1, 0, os.SEEK_SET)

    def output(self) -> tuple[str, bool]:
        """What the last execution wrote (at most :data:`MAX_OUTPUT_BYTES`, decoded), and
        whether it wrote more than that."""
        size = os.fstat(self.stdout_fd).st_size
        data = os.pread(self.stdout_fd, min(size, MAX_OUTPUT_BYTES), 0)
        return data.decode("utf-8", errors="replace"), size > MAX_OUTPUT_BYTES

    def close(self) -> None:
        for fd in self.fds:
            with contextlib.suppress(OSError):
                os.close(fd)

    @contextlib.contextmanager
    def attached(self) -> Iterator[None]:
        """fds 0 and 1 of this process as they were before, once the block ends: a
        process that runs one program after another keeps its own (see
        :func:`optbench.runtime.outcome.run_program`)."""
        with contextlib.suppress(BaseException):
            sys.__stdout__.flush()  # type: ignore[union-attr]  # its buffer is for the old fd 1
        saved = [_saved_fd(fd) for fd in (0, 1)]
        try:
            yield
        finally:
            for fd, copy in enumerate(saved):
                os.dup2(copy, fd)
                os.close(copy)


def cap_output() -> tuple[int, int]:
    """Lower this process's soft file-size limit to just above :data:`MAX_OUTPUT_BYTES`,
    so a program writing past the cap stops with ``OSError`` (Python ignores SIGXFSZ)
    instead of filling memory; returns the limit it replaced. The limit applies to the
    in-memory stdout as to any file; :meth:`ProgramIO.output` tells the excess."""
    previous = resource.getrlimit(resource.RLIMIT_FSIZE)
    wanted = MAX_OUTPUT_BYTES + 1
    hard = previous[1]
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_FSIZE, (wanted, hard))
    return previous


def restore_output_limit(previous: tuple[int, int]) -> None:
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_FSIZE, previous)


def exec_program(
    code: CodeType, program_io: ProgramIO, streams: Streams, namespace: dict[str, Any]
) -> int:
    """One execution of a program as ``__main__`` (``namespace``, from
    :func:`fresh_namespace`) on fresh fds 0 and 1 (see :meth:`ProgramIO.rewind`); its exit
    status. An exception other than ``SystemExit`` propagates. ``sys.stdin`` and
    ``sys.stdout`` are restored afterwards.

    The program's globals are cleared when it ends, as the interpreter clears a script's
    at exit, before its output is flushed: the objects it kept there (a file it opened on
    fd 0 or 1 among them) go now, inside the execution, not at some garbage collection
    during a later one, where closing its fd would cut that one's stream.
    """
    stdout = streams[1]
    program_io.rewind()
    saved = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = streams
    try:
        exec(code, namespace)
    except SystemExit as exc:
        return exit_code(exc.code)
    finally:
        with contextlib.suppress(BaseException):  # a finaliser of the program's may raise
            namespace.clear()
        for stream in (stdout, sys.__stdout__):  # the one the interpreter started with too
            with contextlib.suppress(BaseException):  # closed, or past the output cap
                stream.flush()  # type: ignore[union-attr]
        sys.stdin, sys.stdout = saved
    return 0


def _sealed(data: bytes) -> int:
    fd = os.memfd_create("optbench-stdin", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    seals = fcntl.F_SEAL_WRITE | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_SEAL
    fcntl.fcntl(fd, fcntl.F_ADD_SEALS, seals)
    return _high_fd(fd)


def _high_fd(fd: int) -> int:
    """``fd`` moved above 2: fds 0 and 1 are rebound for every execution, and the program
    may have closed one of them, so the lowest free fd can be 0 or 1."""
    if fd > 2:
        return fd
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
    os.close(fd)
    return high


def _saved_fd(fd: int) -> int:
    """A copy of ``fd`` above 2, or of ``/dev/null`` where ``fd`` is closed."""
    try:
        return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
    except OSError:
        return _high_fd(os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC))
