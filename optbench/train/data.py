"""Training data from slow→fast pairs: SFT examples and DPO preference pairs.

Sources, each turned into :class:`Attempt` records (a problem, a program for it, and
what is known about that program):

* a dataset's references: the slow source → the reference fast source;
* generic or PIE JSONL pairs (``slow_code``/``fast_code`` or ``input``/``target``);
* candidates of stored runs, with their verdict and measured speedup.

The prompt is the one the techniques send (``zero_shot`` by default: system message +
the problem as ``describe_problem`` renders it), so a trained model sees at inference
exactly what it saw in training. Records use the conversational shape TRL and most
trainers read: ``prompt`` is a list of chat messages, ``completion`` / ``chosen`` /
``rejected`` a one-message assistant turn holding the code in a ```python block.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from optbench.core.problem import Problem, ProblemKind
from optbench.jsonl import strict_json_objects
from optbench.train.guard import EvalGuard, code_hash

Kind = Literal["sft", "dpo"]
WRONG_STATUSES = frozenset({"not_equivalent", "error", "timeout", "rejected"})
"""Verdicts that judge the candidate's own code wrong: a different result, a crash or a
timeout of its code, or a refusal by the sandbox policy."""
NOT_THE_CODES_DOING = (
    "verifier failed",  # the verifier raised (optbench.run.executors.base.run_verify)
    "verification lost",  # its worker kept dying (optbench.run.executors.base.lost_verdict)
    "the verifier failed",  # on one generated input (optbench.verify.differential)
    "the input strategy failed",  # the problem's inputs.py (optbench.verify.differential)
    "the original failed",  # the problem's slow code (optbench.verify.checker)
)
"""How the verdict messages of failures of the harness or of the dataset begin: such an
``error`` verdict says nothing about the candidate's code."""


@dataclass(frozen=True)
class Attempt:
    """A program proposed for a problem, and what is known about it.

    References and JSONL pairs are trusted (equivalent, significantly faster) with an
    unknown speedup; stored candidates carry their verdict and measurement.
    """

    problem: Problem
    code: str
    source: str
    status: str | None = "equivalent"
    speedup: float | None = None
    significant: bool = True
    trusted: bool = False
    blameless: bool = False
    """The outcome says nothing about code the model wrote: there is none (a reply without
    code, a failed model call, no candidate at all) or the harness or the dataset failed
    (see :func:`blameless`). Never a rejected program."""


@dataclass(frozen=True)
class Rules:
    """What counts as a good (chosen, SFT target) or bad (rejected) program."""

    min_speedup: float = 1.1
    """A stored candidate is a target when equivalent and at least this much faster
    (PIE's %Opt threshold by default)."""
    require_significant: bool = True
    """Speedups (and slowdowns) must be statistically significant to count."""
    max_rejected_speedup: float = 1.0
    """An equivalent candidate below this speedup is a rejected (slower) program."""
    max_per_problem: int = 0
    """Keep at most this many SFT examples / DPO pairs per problem (0: no limit)."""

    def good(self, a: Attempt) -> bool:
        if a.trusted:
            return True
        return (
            a.status == "equivalent"
            and a.speedup is not None
            and a.speedup >= self.min_speedup
            and (a.significant or not self.require_significant)
        )

    def bad(self, a: Attempt) -> bool:
        """Written by the model and judged wrong (see :data:`WRONG_STATUSES`), or
        equivalent and significantly slower; never a blameless attempt."""
        if a.trusted or a.blameless:
            return False
        if a.status in WRONG_STATUSES:
            return True
        return (
            a.status == "equivalent"
            and a.speedup is not None
            and a.speedup < self.max_rejected_speedup
            and (a.significant or not self.require_significant)
        )


@dataclass
class BuildReport:
    """What happened to the attempts on their way to training records."""

    attempts: int = 0
    records: int = 0
    duplicates: int = 0
    excluded: int = 0
    """Attempts dropped because their problem is an evaluation problem, or a copy or a
    near-duplicate of one."""
    excluded_problems: set[str] = field(default_factory=set)
    excluded_near_duplicates: set[str] = field(default_factory=set)
    """The excluded problems that are near-duplicates of an evaluation problem (not the
    same id or a copy)."""
    unusable: int = 0
    """Attempts that are neither good nor bad, or unpaired (DPO), or copies of the slow code."""
    problems: set[str] = field(default_factory=set)

    def summary(self) -> dict[str, int]:
        return {
            "attempts": self.attempts,
            "records": self.records,
            "problems": len(self.problems),
            "duplicates_dropped": self.duplicates,
            "eval_excluded": self.excluded,
            "eval_excluded_problems": len(self.excluded_problems),
            "eval_excluded_near_duplicates": len(self.excluded_near_duplicates),
            "unusable": self.unusable,
        }


# -- prompts ---------------------------------------------------------------------------


def prompt_messages(problem: Problem, template: str = "zero_shot") -> list[dict[str, str]]:
    """The chat a technique sends for ``problem``: system message + the rendered template."""
    from optbench.techniques.prompting import chat, describe_problem, render

    user = render(template, problem=describe_problem(problem))
    return [m.to_dict() for m in chat(user)]


def answer_message(code: str) -> list[dict[str, str]]:
    return [{"role": "assistant", "content": f"```python\n{code.strip()}\n```"}]


# -- sources ---------------------------------------------------------------------------


def reference_attempts(dataset: str) -> list[Attempt]:
    """A dataset's slow → reference-fast pairs."""
    from optbench.datasets import load_dataset

    loaded = load_dataset(dataset)
    return [
        Attempt(p, p.fast_source, f"reference:{loaded.name}", trusted=True)
        for p in loaded.problems
        if p.fast_source
    ]


def jsonl_attempts(path: str | Path) -> list[Attempt]:
    """Generic (``slow_code``, ``fast_code``, optional ``entry_point``, ``id``, ``statement``)
    or PIE (``problem_id``, ``input``, ``target``) pairs; other keys are ignored."""
    path = Path(path)
    out: list[Attempt] = []
    for number, record in strict_json_objects(path):
        slow = record.get("slow_code", record.get("input"))
        fast = record.get("fast_code", record.get("target"))
        if not isinstance(slow, str) or not isinstance(fast, str) or not slow.strip():
            raise ValueError(
                f"{path}:{number}: needs slow_code and fast_code (or PIE's input and target)"
            )
        entry = record.get("entry_point") or None
        pid = str(record.get("id") or record.get("problem_id") or f"{path.stem}-{number}")
        problem = Problem(
            id=pid,
            dataset=path.stem,
            title=str(record.get("title") or pid),
            kind=ProblemKind.FUNCTION if entry else ProblemKind.PROGRAM,
            slow_source=slow,
            entry_point=entry,
            statement=record.get("statement") or None,
        )
        out.append(Attempt(problem, fast, f"pairs:{path.name}", trusted=True))
    return out


def run_attempts(store: Any, run_ids: Sequence[int], dataset: str | None = None) -> list[Attempt]:
    """The measured or verified candidates of stored runs. Problems are looked up in
    ``dataset`` (default: each run's own dataset) by id; unknown ids are skipped."""
    from optbench.datasets import load_dataset

    loaded: dict[str, dict[str, Problem]] = {}
    out: list[Attempt] = []
    for run_id in run_ids:
        info = store.get_run(run_id)
        name = dataset or info.dataset
        if name not in loaded:
            loaded[name] = {p.id: p for p in load_dataset(name).problems}
        problems = loaded[name]
        for c in store.candidates(run_id):
            problem = problems.get(c.problem_id)
            if problem is None or c.verdict_status is None:
                continue
            speedup, significant = c.speedup, False
            if c.speedup is not None:
                m = store.measurement(c.id)
                if m is None or m.error is not None:
                    speedup = None  # not timed (the figure stored is a placeholder)
                else:
                    significant = bool(m.time.significant)
            message = ""
            if c.code.strip() and c.verdict_status == "error":
                verdict = store.verdict(c.id)
                message = verdict.message if verdict is not None else ""
            out.append(
                Attempt(
                    problem,
                    c.code,
                    f"run:{run_id}/candidate:{c.id}",
                    status=c.verdict_status,
                    speedup=speedup,
                    significant=significant,
                    blameless=blameless(c.code, c.extra, message),
                )
            )
    return out


def blameless(code: str, extra: dict[str, Any], verdict_message: str) -> bool:
    """Whether a stored candidate's outcome says nothing about code the model wrote: no
    code (``no_code``, ``model_error`` and ``no_candidate`` rows, an empty reply), or an
    ``error`` verdict from a failure of the harness or the dataset
    (:data:`NOT_THE_CODES_DOING`)."""
    if not code.strip() or extra.get("outcome"):
        return True
    return verdict_message.startswith(NOT_THE_CODES_DOING)


# -- builders --------------------------------------------------------------------------


def _key(problem: Problem) -> str:
    return f"{problem.dataset}/{problem.id}"


def _by_problem(
    attempts: Iterable[Attempt], guard: EvalGuard | None, report: BuildReport
) -> dict[str, tuple[Problem, list[Attempt]]]:
    """Group by the problem's slow code (so one problem under two names is one group),
    dropping attempts on evaluation problems, on copies or near-duplicates of them, or
    whose program is close to an evaluation problem's fast version (``guard``), and
    attempts that copy the slow code."""
    groups: dict[str, tuple[Problem, list[Attempt]]] = {}
    for a in attempts:
        report.attempts += 1
        overlap = guard.why(a.problem, a.code) if guard is not None else None
        if overlap is not None:
            report.excluded += 1
            report.excluded_problems.add(_key(a.problem))
            if overlap.reason == "near-duplicate":
                report.excluded_near_duplicates.add(_key(a.problem))
            continue
        slow = code_hash(a.problem.slow_source)
        if code_hash(a.code) == slow:
            report.unusable += 1
            continue
        groups.setdefault(slow, (a.problem, []))[1].append(a)
    return groups


def _best_first(attempts: list[Attempt]) -> list[Attempt]:
    return sorted(attempts, key=lambda a: (not a.trusted, -(a.speedup or 0.0), a.source))


def _unique(attempts: list[Attempt], report: BuildReport) -> list[tuple[str, Attempt]]:
    seen: set[str] = set()
    out = []
    for a in attempts:
        h = code_hash(a.code)
        if h in seen:
            report.duplicates += 1
            continue
        seen.add(h)
        out.append((h, a))
    return out


def _meta(problem: Problem, template: str, **more: Any) -> dict[str, Any]:
    return {"problem": _key(problem), "template": template, **more}


def build_sft(
    attempts: Iterable[Attempt],
    *,
    rules: Rules = Rules(),
    guard: EvalGuard | None = None,
    template: str = "zero_shot",
) -> tuple[list[dict[str, Any]], BuildReport]:
    report = BuildReport()
    records: list[dict[str, Any]] = []
    for problem, group in _by_problem(attempts, guard, report).values():
        good = [a for a in group if rules.good(a)]
        report.unusable += len(group) - len(good)
        kept = _unique(_best_first(good), report)
        if rules.max_per_problem:
            report.unusable += max(0, len(kept) - rules.max_per_problem)
            kept = kept[: rules.max_per_problem]
        if not kept:
            continue
        prompt = prompt_messages(problem, template)
        report.problems.add(_key(problem))
        for _, a in kept:
            meta = _meta(problem, template, source=a.source, speedup=a.speedup)
            records.append({"prompt": prompt, "completion": answer_message(a.code), "meta": meta})
    report.records = len(records)
    return records, report


def _diagonal(n: int, m: int) -> Iterator[tuple[int, int]]:
    """Index pairs of an n x m grid, anti-diagonal by anti-diagonal: the best chosen with
    the first rejected first, and every program used early (diverse pairs under a cap)."""
    for s in range(n + m - 1):
        for i in range(max(0, s - m + 1), min(n, s + 1)):
            yield i, s - i


def build_dpo(
    attempts: Iterable[Attempt],
    *,
    rules: Rules = Rules(max_per_problem=8),
    guard: EvalGuard | None = None,
    template: str = "zero_shot",
) -> tuple[list[dict[str, Any]], BuildReport]:
    """Pairs with the same prompt: chosen = equivalent and faster (or a reference),
    rejected = not equivalent (wrong, crashing, timing out) or equivalent but slower."""
    report = BuildReport()
    records: list[dict[str, Any]] = []
    for problem, group in _by_problem(attempts, guard, report).values():
        good = [a for a in group if rules.good(a)]
        bad = [a for a in group if rules.bad(a)]
        report.unusable += len(group) - len(good) - len(bad)
        chosen = _unique(_best_first(good), report)
        good_hashes = {h for h, _ in chosen}
        rejected = []
        for h, a in _unique(sorted(bad, key=lambda a: a.source), report):
            if h in good_hashes:
                report.unusable += 1
            else:
                rejected.append((h, a))
        if not chosen or not rejected:
            report.unusable += len(chosen) + len(rejected)
            continue
        prompt = prompt_messages(problem, template)
        report.problems.add(_key(problem))
        for n, (i, j) in enumerate(_diagonal(len(chosen), len(rejected))):
            if rules.max_per_problem and n >= rules.max_per_problem:
                break
            (_, c), (_, r) = chosen[i], rejected[j]
            meta = _meta(
                problem,
                template,
                chosen_source=c.source,
                rejected_source=r.source,
                chosen_speedup=c.speedup,
                rejected_status=r.status,
                rejected_speedup=r.speedup,
            )
            records.append(
                {
                    "prompt": prompt,
                    "chosen": answer_message(c.code),
                    "rejected": answer_message(r.code),
                    "meta": meta,
                }
            )
    report.records = len(records)
    return records, report


# -- files -----------------------------------------------------------------------------


def records_hash(records: Sequence[dict[str, Any]]) -> str:
    digest = hashlib.sha256()
    for r in records:
        digest.update(json.dumps(r, sort_keys=True).encode())
    return digest.hexdigest()


def write_jsonl(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            count += 1
    return count


REQUIRED: dict[str, tuple[str, ...]] = {
    "sft": ("prompt", "completion"),
    "dpo": ("prompt", "chosen", "rejected"),
}


def read_jsonl(path: str | Path, kind: Kind) -> list[dict[str, Any]]:
    """Training records of ``kind``; each needs the fields of its shape (strings or chat
    message lists)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no training data file {path}")
    out = []
    for number, record in strict_json_objects(path):
        missing = [k for k in REQUIRED[kind] if k not in record]
        if missing:
            raise ValueError(
                f"{path}:{number}: a {kind} record needs {', '.join(REQUIRED[kind])}; "
                f"missing {', '.join(missing)}"
            )
        out.append(record)
    if not out:
        raise ValueError(f"{path}: no training records")
    return out
