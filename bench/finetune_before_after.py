"""A fine-tuned model against its base, paired problem by problem.

Reads two stored runs of the same techniques, problems, seeds and sampling (the base model's,
then the fine-tuned model's) and pairs their candidates by (problem, technique, sample).
For each problem and run it takes the share of samples whose reply held code, whose code
parses (``ast.parse``: parsed, never run), and whose verdict is ``equivalent``, and whether
any sample is equivalent (PIE's %Correct). The paired difference (after − before) is the
mean over problems of the per-problem differences, with a 95% bootstrap interval over
problems (samples of one problem are not independent) and the exact sign test over the
problems that changed. Output tokens per reply and replies at the length cap come from the stored
model calls (one per reply).

    .venv/bin/python bench/finetune_before_after.py --db sqlite:///runs.db BEFORE AFTER
"""

from __future__ import annotations

import argparse
import ast
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from optbench.stats import estimate, mean, sign_test
from optbench.store import open_store
from optbench.store._records import CandidateInfo

Key = tuple[str, str, int]


def parses(code: str) -> bool:
    if not code.strip():
        return False
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


MEASURES: dict[str, Callable[[CandidateInfo], bool]] = {
    "reply held code": lambda c: bool(c.code.strip()),
    "code parses": lambda c: parses(c.code),
    "equivalent (pass@1)": lambda c: c.verdict_status == "equivalent",
}


@dataclass
class RunFacts:
    run_id: int
    model: str
    candidates: dict[Key, CandidateInfo]
    output_tokens: float
    replies: int
    at_cap: int


def _facts(store, run_id: int) -> RunFacts:
    candidates = {
        (c.problem_id, c.technique, c.sample): c
        for c in store.candidates(run_id)
        if c.round == 0 and c.parent_id is None
    }
    calls = [c for c in store.model_calls(run_id) if c.error is None]
    tokens = sum(c.output_tokens for c in calls)
    at_cap = sum(c.output_tokens >= int(c.params.get("max_new_tokens") or 10**9) for c in calls)
    models = {c.model for c in candidates.values()}
    return RunFacts(run_id, ",".join(sorted(models)), candidates, tokens, len(calls), at_cap)


def _per_problem(candidates: dict[Key, CandidateInfo], keys: Sequence[Key], test) -> dict:
    by_problem: dict[tuple[str, str], list[float]] = defaultdict(list)
    for key in keys:
        by_problem[key[:2]].append(1.0 if test(candidates[key]) else 0.0)
    return by_problem


def compare(before: RunFacts, after: RunFacts) -> list[list[str]]:
    keys = sorted(before.candidates.keys() & after.candidates.keys())
    rows = []
    measures = dict(MEASURES)
    for name, test in measures.items():
        b = _per_problem(before.candidates, keys, test)
        a = _per_problem(after.candidates, keys, test)
        diffs = [mean(a[p]) - mean(b[p]) for p in sorted(b)]
        rows.append(_row(name + " (share of samples)", b, a, diffs))
    correct = MEASURES["equivalent (pass@1)"]
    b = _per_problem(before.candidates, keys, correct)
    a = _per_problem(after.candidates, keys, correct)
    b_any = {p: [float(max(v))] for p, v in b.items()}
    a_any = {p: [float(max(v))] for p, v in a.items()}
    diffs = [a_any[p][0] - b_any[p][0] for p in sorted(b_any)]
    rows.append(_row("%Correct (any sample equivalent)", b_any, a_any, diffs))
    return rows


def _row(name: str, b: dict, a: dict, diffs: list[float]) -> list[str]:
    est = estimate(diffs)
    wins = sum(d > 0 for d in diffs)
    losses = sum(d < 0 for d in diffs)
    before_share = mean([mean(v) for v in b.values()])
    after_share = mean([mean(v) for v in a.values()])
    return [
        name,
        f"{before_share:.3f}",
        f"{after_share:.3f}",
        f"{est.value:+.3f} [{est.low:+.3f}, {est.high:+.3f}]",
        f"{wins} / {losses} / {len(diffs) - wins - losses}",
        f"{sign_test(wins, losses):.3g}",
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", type=int, help="Run id of the base model.")
    parser.add_argument("after", type=int, help="Run id of the fine-tuned model.")
    parser.add_argument("--db", default=None, help="Database URL (default: $OPTBENCH_DB).")
    args = parser.parse_args(argv)
    with open_store(args.db) as store:
        before, after = _facts(store, args.before), _facts(store, args.after)
    keys = before.candidates.keys() & after.candidates.keys()
    problems = {k[0] for k in keys}
    print(
        f"run {before.run_id} ({before.model}) vs run {after.run_id} ({after.model}): "
        f"{len(keys)} paired samples on {len(problems)} problems"
    )
    print()
    header = [
        "measure",
        "before",
        "after",
        "paired difference [95% CI]",
        "problems up / down / same",
        "sign test p",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in compare(before, after):
        print("| " + " | ".join(row) + " |")
    print()
    for facts, label in ((before, "before"), (after, "after")):
        per = facts.output_tokens / max(facts.replies, 1)
        print(
            f"{label}: {facts.replies} replies, {per:.0f} output tokens per reply (mean), "
            f"{facts.at_cap} at the length cap"
        )


if __name__ == "__main__":
    main()
