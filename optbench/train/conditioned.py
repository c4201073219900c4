"""Training data for PIE's performance-conditioned generation (Shypula et al., ICLR 2024).

Every target program is tagged with its score: the bucket of its measured speedup among all
equivalent versions of the same problem (the original at 1.0, and every distinct equivalent
program a stored run measured, faster or slower), as
:func:`optbench.techniques.conditioning.score_buckets` computes it. The record's prompt is
:func:`~optbench.techniques.conditioning.conditioned_messages` with the target's tag, the very
chat ``perf_conditioned`` sends with the top tag, so a model trained on these records
(``optbench train sft --conditioned``) is asked at inference exactly as it was trained.

As in PIE, targets are improvements (equivalent and at least ``min_speedup`` faster, by the
same :class:`~optbench.train.data.Rules` as plain SFT data) while the ranking that gives the
tags counts every correct version. A program known only as trusted (a dataset reference
given with ``--references``) has no measurement and cannot be tagged; the same code measured
in a run (the ``reference`` technique) can. The original is shown with the technique's fixed
tag (``original_score``, 1), since its own percentile is unknown at inference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from optbench.train.data import (
    Attempt,
    BuildReport,
    Rules,
    _by_problem,
    _key,
    _meta,
    answer_message,
)
from optbench.train.guard import EvalGuard, code_hash

TEMPLATE = "perf_conditioned"
"""The prompt template of conditioned records (``meta.template``)."""


def _measured(a: Attempt) -> bool:
    return a.status == "equivalent" and a.speedup is not None


def _representative(measured: list[Attempt]) -> Attempt:
    """The measurement of one program that stands for it: the (lower) median speedup, so a
    program measured in several runs is neither flattered nor punished by one of them."""
    ordered = sorted(measured, key=lambda a: (a.speedup or 0.0, a.source))
    return ordered[(len(ordered) - 1) // 2]


def build_conditioned_sft(
    attempts: Iterable[Attempt],
    *,
    rules: Rules | None = None,
    guard: EvalGuard | None = None,
    scale: int = 10,
) -> tuple[list[dict[str, Any]], BuildReport]:
    """Score-tagged prompt/completion records (see the module's docstring)."""
    from optbench.techniques.conditioning import conditioned_messages, score_buckets

    rules = rules or Rules()
    report = BuildReport()
    records: list[dict[str, Any]] = []
    for problem, group in _by_problem(attempts, guard, report).values():
        by_code: dict[str, list[Attempt]] = {}
        for a in group:
            if _measured(a):
                by_code.setdefault(code_hash(a.code), []).append(a)
            else:
                report.unusable += 1  # wrong, unverified, untimed, or a trusted unmeasured copy
        versions = {h: _representative(found) for h, found in by_code.items()}
        report.duplicates += sum(len(found) - 1 for found in by_code.values())
        targets = [(h, a) for h, a in versions.items() if rules.good(a)]
        report.unusable += len(versions) - len(targets)
        targets.sort(key=lambda item: (-(item[1].speedup or 0.0), item[1].source))
        if rules.max_per_problem:
            report.unusable += max(0, len(targets) - rules.max_per_problem)
            targets = targets[: rules.max_per_problem]
        if not targets:
            continue
        speedups = {"original": 1.0, **{h: float(a.speedup or 0.0) for h, a in versions.items()}}
        tags = score_buckets(speedups, scale)
        report.problems.add(_key(problem))
        for h, a in targets:
            prompt = [m.to_dict() for m in conditioned_messages(problem, tags[h], scale=scale)]
            meta = _meta(
                problem,
                TEMPLATE,
                source=a.source,
                speedup=a.speedup,
                score=tags[h],
                scale=scale,
                versions=len(speedups),
            )
            records.append({"prompt": prompt, "completion": answer_message(a.code), "meta": meta})
    report.records = len(records)
    return records, report


def check_conditioned(records: Sequence[dict[str, Any]], source: str = "data") -> None:
    """Refuse records that are not score-tagged: training ``--conditioned`` on untagged data
    would teach nothing about the tags the technique asks with."""
    for number, record in enumerate(records, start=1):
        meta = record.get("meta") or {}
        prompt = record.get("prompt")
        last = prompt[-1].get("content", "") if isinstance(prompt, list) and prompt else prompt
        if (
            meta.get("template") != TEMPLATE
            or not isinstance(meta.get("score"), int)
            or "<score>" not in str(last)
        ):
            raise ValueError(
                f"{source}: record {number} is not score-tagged; build conditioned data with "
                "`optbench train data --from-runs IDS --conditioned`"
            )
