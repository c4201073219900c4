"""The line profiler's sandbox side: runs a candidate once on a workload under a
``sys.settrace`` tracer and writes what each of its lines cost.

Usage (started by :mod:`optbench.techniques.hotspots`, never by hand)::

    python -s -P -B -m optbench.runtime.line_profile CANDIDATE WORKLOAD RESULT KIND ENTRY TRACE_S

The tracer counts the hits of each line of the candidate's file and the time until the
next traced event; time spent in code outside the file (builtins, libraries) is charged
to the line that called it, time outside the candidate's frames to no line. It stops after
``TRACE_S`` seconds and reports what it saw until then. The candidate runs as everywhere
in the sandbox (:mod:`optbench.runtime.execution`: a program on fds 0 and 1, a returned
iterator consumed), under the kernel's ``measured`` filter (no processes, sockets or file
writes), with the harness out of its sight (:mod:`optbench.runtime.hide`).
"""

from __future__ import annotations

import copy
import json
import os
import sys
import time
from types import CodeType, FrameType
from typing import Any

from optbench.codec import decode
from optbench.runtime import seccomp
from optbench.runtime.execution import (
    MODULE_NAME,
    ProgramIO,
    call,
    cap_output,
    exec_program,
    fresh_namespace,
    load_entry,
    restore_output_limit,
)
from optbench.runtime.hide import hide_harness


class _Tracer:
    def __init__(self, filename: str, trace_s: float) -> None:
        self.filename = filename
        self.hits: dict[int, int] = {}
        self.times: dict[int, float] = {}
        self.line: int | None = None
        self.t = time.perf_counter()
        self.stopped = False
        self.deadline = self.t + trace_s

    def charge(self, now: float) -> None:
        if self.line is not None:
            self.times[self.line] = self.times.get(self.line, 0.0) + (now - self.t)
        self.t = now

    def local(self, frame: FrameType, event: str, arg: Any) -> Any:
        now = time.perf_counter()
        if now > self.deadline:
            self.stopped = True
            self.charge(now)
            self.line = None
            sys.settrace(None)
            return None
        if event == "line":
            self.charge(now)
            self.line = frame.f_lineno
            self.hits[frame.f_lineno] = self.hits.get(frame.f_lineno, 0) + 1
        elif event == "return":
            self.charge(now)
            caller = frame.f_back
            inside = caller is not None and caller.f_code.co_filename == self.filename
            self.line = caller.f_lineno if caller is not None and inside else None
        return self.local

    def __call__(self, frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename != self.filename or self.stopped:
            return None
        return self.local(frame, event, arg)


def _run(code: CodeType, kind: str, entry: str, payload: Any, program_io: ProgramIO | None) -> None:
    """One execution on the workload, as verification and measurement run it
    (:mod:`optbench.runtime.execution`); what it computed is not kept."""
    if program_io is not None:
        streams = program_io.streams()
        limit = cap_output()
        try:
            exec_program(code, program_io, streams, fresh_namespace("__main__"))
        finally:
            restore_output_limit(limit)  # the result written next may be larger
    else:
        fn = load_entry(code, fresh_namespace(MODULE_NAME), entry)
        call(fn, copy.deepcopy(tuple(payload)))


def main(argv: list[str]) -> None:
    candidate_file, workload_file, result_path, kind, entry, trace_s = argv
    filename = os.path.abspath(candidate_file)
    with open(workload_file, encoding="utf-8") as handle:
        payload = decode(json.load(handle))
    with open(filename, encoding="utf-8") as handle:
        code = compile(handle.read(), filename, "exec")
    result = open(result_path, "w", encoding="utf-8")  # noqa: SIM115 - open before the filter
    program_io = ProgramIO(str(payload).encode()) if kind == "program" else None
    seccomp.enforce("measured")  # the candidate runs next: no processes, sockets or writes
    hide_harness()
    tracer = _Tracer(filename, float(trace_s))
    error = None
    sys.settrace(tracer)
    try:
        _run(code, kind, entry, payload, program_io)
    except BaseException as exc:
        error = type(exc).__name__ + ": " + str(exc)[:200]
    finally:
        sys.settrace(None)
        tracer.charge(time.perf_counter())
    with result as handle:
        report = {
            "hits": tracer.hits,
            "times": tracer.times,
            "error": error,
            "truncated": tracer.stopped,
        }
        json.dump(report, handle)


if __name__ == "__main__":
    main(sys.argv[1:])
