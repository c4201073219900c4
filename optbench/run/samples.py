"""Generations made elsewhere, evaluated like a run's own: ``optbench evaluate SAMPLES.jsonl``.

One JSON object per line, as EvalPlus reads a samples file::

    {"problem_id": "pair-sum-count", "completion": "Here is ...```python\\n...```",
     "model": "deepseek-coder-6.7b", "technique": "zero_shot", "sample": 0}

``problem_id`` (or ``task_id``) names a problem of the dataset; the code is ``code`` (as
is) or extracted from ``completion`` (or ``solution``) as a model's reply is; ``model``,
``technique`` and ``sample`` are labels (defaults: ``unknown``, ``samples``, numbered in
file order per problem, model and technique). A line that is not such an object is
reported with its number and left out; a sample whose reply holds no code is kept as a
``no_code`` outcome, so the report counts it as a model's failure.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.models import extract_code
from optbench.techniques.context import Context
from optbench.techniques.registry import Technique

KNOWN_KEYS = frozenset(
    {"problem_id", "task_id", "code", "completion", "solution", "model", "technique", "sample"}
)


@dataclass(frozen=True)
class Sample:
    line: int
    problem_id: str
    code: str | None
    """None when the completion holds no code (a ``no_code`` outcome)."""
    reply: str
    model: str
    technique: str
    sample: int


@dataclass
class SamplesFile:
    path: Path
    sha256: str
    samples: list[Sample]
    errors: list[str]
    """One line per left-out line: its number and why."""


def read_samples(path: Path, known: dict[str, Problem]) -> SamplesFile:
    """The samples of ``path`` for the problems in ``known`` (by id)."""
    data = path.read_bytes()
    samples: list[Sample] = []
    errors: list[str] = []
    counters: dict[tuple[str, str, str], int] = defaultdict(int)
    for number, raw in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except ValueError as exc:
            errors.append(f"line {number}: not JSON ({exc})")
            continue
        try:
            sample = _sample(number, record, known, counters)
        except ValueError as exc:
            errors.append(f"line {number}: {exc}")
            continue
        samples.append(sample)
    return SamplesFile(path, hashlib.sha256(data).hexdigest(), samples, errors)


def _sample(
    number: int,
    record: Any,
    known: dict[str, Problem],
    counters: dict[tuple[str, str, str], int],
) -> Sample:
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    unknown = sorted(set(record) - KNOWN_KEYS)
    if unknown:
        raise ValueError(f"unknown key(s) {unknown}; known: {sorted(KNOWN_KEYS)}")
    problem_id = record.get("problem_id", record.get("task_id"))
    if not isinstance(problem_id, str) or not problem_id:
        raise ValueError("no problem_id (or task_id)")
    problem = known.get(problem_id) or known.get(problem_id.rsplit("/", 1)[-1])
    if problem is None:
        raise ValueError(f"problem {problem_id!r} is not in the dataset")
    labels = {}
    for label, default in (("model", "unknown"), ("technique", "samples")):
        value = record.get(label, default)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{label!r} must be a non-empty string")
        labels[label] = value.strip()
    texts = [record[k] for k in ("code", "completion", "solution") if k in record]
    if len(texts) != 1 or not isinstance(texts[0], str):
        raise ValueError("expected exactly one of 'code', 'completion' or 'solution' (a string)")
    reply = texts[0]
    code = reply if "code" in record else extract_code(reply, problem.entry_point)
    key = (problem.id, labels["model"], labels["technique"])
    index = record.get("sample", counters[key])
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"'sample' must be a non-negative integer, got {index!r}")
    counters[key] = max(counters[key], index + 1)
    return Sample(
        number, problem.id, code or None, reply, labels["model"], labels["technique"], index
    )


class SampleReplay(Technique):
    """Serves one technique label's samples of a file as that technique's candidates. Not
    in the catalogue: ``optbench evaluate`` makes one per technique label of the file."""

    name = "samples"
    family = "baseline"
    summary = "Generations made elsewhere, read from a samples file."
    uses_model = False

    def __init__(self, technique: str, samples: list[Sample]) -> None:
        self.args = {}
        self.technique = technique
        self.by_problem: dict[tuple[str, str], list[Sample]] = defaultdict(list)
        for sample in samples:
            if sample.technique == technique:
                self.by_problem[(sample.problem_id, sample.model)].append(sample)

    @property
    def label(self) -> str:
        return self.technique

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        for sample in self.by_problem.get((problem.id, ctx.model_spec), []):
            if sample.code is None:
                ctx.report_outcome(
                    f"no_code: line {sample.line} of the samples file holds no code",
                    sample=sample.sample,
                )
                continue
            yield Candidate(
                code=sample.code,
                technique=self.technique,
                model=sample.model,
                sample=sample.sample,
                extra={"samples_line": sample.line},
            )
