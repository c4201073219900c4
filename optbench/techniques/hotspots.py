"""A line-level profile of a candidate on its problem's workload, for feedback prompts (SOAP).

The candidate runs in :class:`~optbench.sandbox.Sandbox` (never in this process) under a
``sys.settrace`` tracer that counts the hits of each line of the candidate's file and the time
until the next traced event; time spent in code outside the file (builtins, libraries) is
charged to the line that called it, time outside the candidate's frames to no line. The result is the top lines as
``line 12 (41%, 120000 hits): for j in range(...)``.

Tracing slows code down by one to two orders of magnitude, so the tracer stops after
``trace_s`` seconds and reports what it saw until then.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from optbench import codec
from optbench.codec import encode
from optbench.core.problem import Problem, ProblemKind
from optbench.sandbox import Limits, Sandbox

CANDIDATE_FILE = "candidate.py"
RESULT_FILE = "profile.json"

_DRIVER = r"""
import copy, io, json, os, sys, time

from optbench.codec import decode
from optbench.runtime import seccomp

CANDIDATE = os.path.abspath({candidate!r})
KIND = {kind!r}
ENTRY = {entry!r}
TRACE_S = {trace_s!r}

with open("workload.json", encoding="utf-8") as fh:
    payload = decode(json.load(fh))
with open(CANDIDATE, encoding="utf-8") as fh:
    code = compile(fh.read(), CANDIDATE, "exec")
result_file = open("{result}", "w", encoding="utf-8")
seccomp.enforce("measured")  # the candidate runs next: no processes, sockets or file writes

hits, times = {{}}, {{}}
state = {{"line": None, "t": 0.0, "stopped": False}}
deadline = time.perf_counter() + TRACE_S


def charge(now):
    line = state["line"]
    if line is not None:
        times[line] = times.get(line, 0.0) + (now - state["t"])
    state["t"] = now


def local(frame, event, arg):
    now = time.perf_counter()
    if now > deadline:
        state["stopped"] = True
        charge(now)
        state["line"] = None
        sys.settrace(None)
        return None
    if event == "line":
        charge(now)
        state["line"] = frame.f_lineno
        hits[frame.f_lineno] = hits.get(frame.f_lineno, 0) + 1
    elif event == "return":
        charge(now)
        caller = frame.f_back
        inside = caller is not None and caller.f_code.co_filename == CANDIDATE
        state["line"] = caller.f_lineno if inside else None
    return local


def tracer(frame, event, arg):
    if frame.f_code.co_filename != CANDIDATE or state["stopped"]:
        return None
    return local(frame, event, arg)


def run():
    if KIND == "program":
        saved = sys.stdin, sys.stdout
        sys.stdin, sys.stdout = io.StringIO(payload), io.StringIO()
        try:
            exec(code, {{"__name__": "__main__"}})
        finally:
            sys.stdin, sys.stdout = saved
    else:
        namespace = {{"__name__": "candidate"}}
        exec(code, namespace)
        namespace[ENTRY](*copy.deepcopy(tuple(payload)))


error = None
state["t"] = time.perf_counter()
sys.settrace(tracer)
try:
    run()
except BaseException as exc:
    error = type(exc).__name__ + ": " + str(exc)[:200]
finally:
    sys.settrace(None)
    charge(time.perf_counter())
with result_file as fh:
    json.dump({{"hits": hits, "times": times, "error": error, "truncated": state["stopped"]}}, fh)
"""


@dataclass
class LineProfile:
    hits: dict[int, int]
    times: dict[int, float]
    error: str | None = None
    """The exception the candidate raised on the workload, if any."""
    truncated: bool = False
    """True when tracing stopped at ``trace_s`` before the workload finished."""

    def top(self, source: str, n: int = 5) -> list[str]:
        """The ``n`` lines with the most time, as ``line 12 (41%, 120 hits): <code>``."""
        total = sum(self.times.values())
        if total <= 0:
            return []
        lines = source.splitlines()
        ranked = sorted(self.times.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
        out = []
        for lineno, seconds in ranked:
            text = lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
            share = 100.0 * seconds / total
            out.append(f"line {lineno} ({share:.0f}%, {self.hits.get(lineno, 0)} hits): {text}")
        return out


def line_profile(
    problem: Problem, code: str, *, trace_s: float = 5.0, wall_s: float = 60.0
) -> LineProfile | None:
    """Profile ``code`` on ``problem``'s workload in a sandbox; ``None`` if it produced nothing."""
    workload = problem.workload()
    kind = "program" if problem.kind is ProblemKind.PROGRAM else "function"
    driver = _DRIVER.format(
        candidate=CANDIDATE_FILE,
        kind=kind,
        entry=problem.entry_point,
        trace_s=trace_s,
        result=RESULT_FILE,
    )
    limits = Limits().with_(wall_s=wall_s, cpu_s=int(wall_s) + 5)
    with Sandbox(limits) as sandbox:
        sandbox.write(CANDIDATE_FILE, code)
        sandbox.write("driver.py", driver)
        sandbox.write("workload.json", json.dumps(encode(workload)))
        sandbox.run(sandbox.python("driver.py"), timeout=wall_s)
        try:
            data = codec.loads_bounded(sandbox.read(RESULT_FILE, limit=8 * 1024 * 1024))
        except (FileNotFoundError, ValueError):
            return None
    try:
        return LineProfile(
            hits={int(k): int(v) for k, v in dict(data["hits"]).items()},
            times={int(k): float(v) for k, v in dict(data["times"]).items()},
            error=str(data["error"]) if data.get("error") else None,
            truncated=bool(data.get("truncated")),
        )
    except (KeyError, TypeError, ValueError):
        return None


def hotspots(problem: Problem, code: str, n: int = 5, *, trace_s: float = 5.0) -> list[str]:
    """The ``n`` hottest lines of ``code`` on the problem's workload (empty when unavailable)."""
    profile = line_profile(problem, code, trace_s=trace_s)
    if profile is None:
        return []
    lines = profile.top(code, n)
    if profile.truncated and lines:
        lines.append(f"(profile of the first {trace_s:g}s of the workload)")
    return lines
