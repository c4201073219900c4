"""How much CPU an honest child spends outside its timed region, against the allowance
its trusted parent gives it (:class:`optbench.runtime.measure_worker.UntimedCosts`).

Runs the originals and the references of optbench-py directly (no sandbox, no seccomp)
in forked children as the pyperf worker does, one execution per child, and prints per
problem the timed CPU, the CPU after the region and the allowance. What a candidate could
hide after its region is the allowance minus its honest work.

    OPTBENCH_SECCOMP=off .venv/bin/python bench/untimed_allowance.py [--every N]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from optbench import codec
from optbench.datasets import load_dataset
from optbench.runtime import child
from optbench.runtime import measure_worker as worker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=4, help="every Nth problem")
    args = parser.parse_args()
    worst = 0.0
    print(f"{'problem':30} {'side':9} {'timed ms':>9} {'after ms':>9} {'allowed ms':>10}")
    problems = list(load_dataset("optbench-py").problems)[:: args.every]
    for problem, side in [(p, s) for p in problems for s in ("original", "reference")]:
        folder = Path(tempfile.mkdtemp())
        source = problem.slow_source if side == "original" else problem.fast_source
        (folder / "code.py").write_text(source)
        job = {
            "kind": problem.kind.value,
            "entry_point": problem.entry_point,
            "compare_mode": problem.compare.mode,
            "code_file": str(folder / "code.py"),
            "workload": codec.encode(problem.workload(None)),
        }
        (folder / "job.json").write_text(json.dumps(job))
        loaded = worker.Job(str(folder / "job.json"))
        worker._preload(loaded.imports)
        costs = worker.UntimedCosts(loaded)
        supervisor = child.fork_child(
            lambda channel, j=loaded: worker._timed_child(j, channel),
            keep=loaded.io.fds if loaded.io else (),
        )
        run = supervisor.follow()
        allowed = costs.post(run)
        worst = max(worst, run.post_s / allowed)
        print(
            f"{problem.id:30} {side:9} {run.timed_s * 1e3:9.1f} "
            f"{run.post_s * 1e3:9.2f} {allowed * 1e3:10.2f}"
        )
    print(f"largest honest/allowed ratio: {worst:.2f}")


if __name__ == "__main__":
    main()
