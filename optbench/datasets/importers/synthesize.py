"""Synthesized inputs for imported problems, in parallel processes: a program problem's
from its given stdin tests (:func:`optbench.datasets.synthesis.synthesize`), a function
problem's from its given calls
(:func:`optbench.datasets.synthesis.functions.synthesize_function`)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from optbench.datasets.importers.common import NO_STRATEGY_NOTE, ProblemFiles
from optbench.datasets.loader import entry_point_params


def needs_synthesis(problem: ProblemFiles) -> bool:
    """A program problem with given tests and no ``inputs.py``, or a function problem
    with given calls whose ``inputs.py`` is the given-tests-only one."""
    if problem.meta.get("kind") == "program":
        return problem.inputs is None and bool(problem.tests)
    return bool(problem.examples)


def synthesize_inputs(
    problems: list[ProblemFiles],
    *,
    workers: int = 2,
    on_done: Callable[[ProblemFiles], None] | None = None,
) -> None:
    """Give every problem :func:`needs_synthesis` picks a synthesized ``inputs.py`` (in
    place): its notes then say how it is checked instead of :data:`NO_STRATEGY_NOTE`.
    A function problem the synthesis cannot serve keeps its given-tests ``inputs.py``."""
    from optbench.datasets.synthesis import synthesize
    from optbench.datasets.synthesis.functions import synthesize_function

    todo = [p for p in problems if needs_synthesis(p)]
    if not todo:
        return
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max(1, workers), mp_context=spawn) as pool:
        futures: list[Future] = []
        for p in todo:
            if p.meta.get("kind") == "program":
                given = [stdin for stdin, _ in p.tests]
                futures.append(
                    pool.submit(synthesize, given, p.slow, name=p.id, reference_source=p.fast)
                )
            else:
                entry_point = str(p.meta["entry_point"])
                params = entry_point_params(p.slow, entry_point, Path(f"{p.id}/slow.py"))
                futures.append(
                    pool.submit(
                        synthesize_function,
                        p.examples,
                        p.judge or p.slow,
                        entry_point,
                        params=params,
                        name=p.id,
                    )
                )
        for problem, future in zip(todo, futures, strict=True):
            result = future.result()
            if result.inputs is not None:
                problem.inputs = result.inputs
            notes = [n for n in problem.meta.get("notes", []) if n != NO_STRATEGY_NOTE]
            problem.meta["notes"] = [*result.notes, *notes]
            if on_done is not None:
                on_done(problem)
