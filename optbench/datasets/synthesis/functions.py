"""From a function problem's example calls and its original to an ``inputs.py``:
infer the arguments' shapes (:mod:`.values`), let the original choose a level
(inputs it raises on or times out on are discarded and counted), grow the workload
until it takes 50-500 ms, write the module (:mod:`.arguments`) — or say why the
problem stays on its given tests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from optbench.datasets.synthesis.arguments import (
    ArgOptions,
    argument_names,
    function_inputs_module,
)
from optbench.datasets.synthesis.codegen import LEVELS
from optbench.datasets.synthesis.draw import Build
from optbench.datasets.synthesis.narrow import ACCEPT_SHARE, GIVE_UP_AFTER, SAMPLES
from optbench.datasets.synthesis.original import Original
from optbench.datasets.synthesis.sampling import small_samples
from optbench.datasets.synthesis.synthesize import SYNTHESIZED_NOTE, Synthesis, given_only
from optbench.datasets.synthesis.values import Shape, Unsupported, has_sizes, infer_arguments
from optbench.datasets.synthesis.workload import choose_scale

MAX_ITEMS = 200_000
"""No workload weighs more than this (:func:`weight`): every input crosses the sandbox
boundary encoded value by value, and a verifier's example must arrive well within its
one-second minimum time limit."""
FLOAT_WEIGHT = 5
"""A float costs about five times an int to encode (:mod:`optbench.codec` tags it)."""


def weight(value: Any) -> int:
    """What an argument tuple costs to send: one per value, :data:`FLOAT_WEIGHT` per
    float, a string one per eight characters (it travels as one JSON string)."""
    if isinstance(value, float):
        return FLOAT_WEIGHT
    if isinstance(value, str | bytes):
        return 1 + len(value) // 8
    if isinstance(value, dict):
        return 1 + sum(weight(k) + weight(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return 1 + sum(weight(v) for v in value)
    return 1


@dataclass
class LevelAttempt:
    options: ArgOptions
    sampled: int = 0
    accepted: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def share(self) -> float:
        return self.accepted / self.sampled if self.sampled else 0.0


def compile_function_build(shapes: list[Shape], names: list[str], options: ArgOptions) -> Build:
    namespace: dict[str, Any] = {"__name__": "optbench_synthesized"}
    source = function_inputs_module(
        shapes, names, options, given=[], workload_scale=1.0, provenance=[]
    )
    exec(compile(source, "<synthesized inputs.py>", "exec"), namespace)
    build: Build = namespace["build"]
    return build


def _judge(original: Original, build: Build, attempt: LevelAttempt) -> None:
    for args in small_samples(build, SAMPLES):
        run = original.run_twice(args)
        attempt.sampled += 1
        if run.accepted:
            attempt.accepted += 1
            continue
        attempt.reasons[run.reason] += 1
        if attempt.sampled - attempt.accepted >= GIVE_UP_AFTER:
            return


def synthesize_function(
    examples: list[tuple[Any, ...]],
    original_source: str,
    entry_point: str,
    *,
    params: tuple[str, ...] = (),
    name: str = "original",
) -> Synthesis:
    """Synthesize inputs for a function problem from its example calls."""
    if not examples:
        return given_only("no given tests to infer from")
    try:
        shapes = infer_arguments(examples)
    except Unsupported as exc:
        return given_only(str(exc))
    names = argument_names(params, len(shapes))
    magnitudes = not has_sizes(list(shapes))
    attempts: list[LevelAttempt] = []
    with Original(original_source, name=name, entry_point=entry_point) as original:
        for args in examples:
            run = original.run(args)
            if not run.accepted:
                return given_only(f"the original fails on a given test ({run.reason})")
        chosen = None
        for level in LEVELS:
            attempt = LevelAttempt(ArgOptions(level, magnitudes))
            try:
                build = compile_function_build(shapes, names, attempt.options)
                _judge(original, build, attempt)
            except Exception as exc:  # a shape the writer or a draw cannot handle
                attempt.reasons[f"synthesis failed: {type(exc).__name__}: {exc}"[:200]] += 1
            attempts.append(attempt)
            if attempt.sampled and attempt.share >= ACCEPT_SHARE:
                chosen = attempt
                break
        if chosen is None:
            best = max(attempts, key=lambda a: a.share)
            result = given_only(
                f"the original rejects most synthesized inputs (best of {len(attempts)} "
                f"tries: {best.accepted} of {best.sampled} accepted, want "
                f"{ACCEPT_SHARE:.0%}; {_reasons(best)})"
            )
            result.sampled = sum(a.sampled for a in attempts)
            result.discarded = sum(a.sampled - a.accepted for a in attempts)
            return result
        build = compile_function_build(shapes, names, chosen.options)
        growth = choose_scale(
            build, original, magnitudes=magnitudes, measure=weight, max_size=MAX_ITEMS
        )
    sampled = sum(a.sampled for a in attempts)
    accepted = sum(a.accepted for a in attempts)
    discarded = sampled - accepted
    reasons = LevelAttempt(chosen.options)
    for attempt in attempts:
        reasons.reasons.update(attempt.reasons)
    provenance = [
        SYNTHESIZED_NOTE.format(k=len(examples))
        + f" ({chosen.options.level} ranges, "
        + ("numbers" if magnitudes else "lengths")
        + " grow)",
        f"the original accepted {accepted} of {sampled} sampled inputs"
        + (f"; {discarded} discarded ({_reasons(reasons)})" if discarded else ""),
        f"workload at scale {growth.scale:g}: the original takes {growth.elapsed * 1000:.0f} ms "
        f"({growth.why})",
    ]
    source = function_inputs_module(
        shapes,
        names,
        chosen.options,
        given=examples,
        workload_scale=round(growth.scale, 3),
        provenance=provenance,
    )
    return Synthesis(
        source,
        provenance,
        sampled=sampled,
        discarded=discarded,
        workload_scale=round(growth.scale, 3),
        workload_ms=growth.elapsed * 1000,
        reason=growth.why,
    )


def _reasons(attempt: LevelAttempt) -> str:
    return ", ".join(f"{count} {reason}" for reason, count in attempt.reasons.most_common(3))
