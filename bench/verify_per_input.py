"""Wall time per input of a sandboxed verification worker: the harness's own cost of one
input (sending it, running code that does almost nothing on it, capturing the outcome,
receiving it), for a program (stdin -> stdout) and for a function.

    .venv/bin/python bench/verify_per_input.py [--inputs 300] [--rounds 5]

Prints the median over rounds of the mean time per input, in microseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from optbench.datasets import resolve_problem
from optbench.verify.config import VerifyConfig
from optbench.verify.workers import Worker

PROGRAM = "import sys\ndata = sys.stdin.read()\nsys.stdout.write(data[:50])\n"
STDIN = "hello world\n" * 200


def per_input_us(
    problem_spec: str, source: str, value: Any, inputs: int, rounds: int
) -> list[float]:
    worker = Worker("candidate", resolve_problem(problem_spec), source, VerifyConfig())
    try:
        if worker.start().kind != "ok":
            raise SystemExit(f"the worker for {problem_spec} did not start")
        results = []
        for _ in range(rounds):
            start = time.perf_counter()
            for _ in range(inputs):
                reply = worker.call(value, 10.0)
                if reply.kind != "ok":
                    raise SystemExit(f"{problem_spec}: {reply.kind} {reply.detail}")
            results.append((time.perf_counter() - start) / inputs * 1e6)
        return results
    finally:
        worker.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    function = resolve_problem("optbench-py/dedupe-keep-order")
    cases = [
        ("program", "optbench-py/word-count-ranking", PROGRAM, STDIN),
        (
            "function",
            "optbench-py/dedupe-keep-order",
            f"def {function.entry_point}(*args):\n    return 1\n",
            [STDIN],
        ),
    ]
    for kind, spec, source, value in cases:
        rounds = per_input_us(spec, source, value, args.inputs, args.rounds)
        shown = ", ".join(f"{r:.0f}" for r in rounds)
        print(f"{kind:8s} median {statistics.median(rounds):7.0f} us per input (rounds: {shown})")


if __name__ == "__main__":
    main()
