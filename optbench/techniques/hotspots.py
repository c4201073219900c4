"""A line-level profile of a candidate on its problem's workload, for feedback prompts (SOAP).

The candidate runs in :class:`~optbench.sandbox.Sandbox` (never in this process) under the
tracer of :mod:`optbench.runtime.line_profile`. The result is the top lines as
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
    limits = Limits().with_(wall_s=wall_s, cpu_s=int(wall_s) + 5)
    with Sandbox(limits) as sandbox:
        sandbox.write(CANDIDATE_FILE, code)
        sandbox.write("workload.json", json.dumps(encode(workload)))
        argv = sandbox.python(
            "-m", "optbench.runtime.line_profile", CANDIDATE_FILE, "workload.json",
            RESULT_FILE, kind, problem.entry_point or "", str(trace_s),
        )  # fmt: skip
        sandbox.run(argv, timeout=wall_s)
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
