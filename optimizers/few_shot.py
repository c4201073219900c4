"""``few_shot``: in-context learning from ``k`` fixed slow→fast exemplars.

PIE's few-shot prompting (Shypula et al., ICLR 2024; Brown et al., 2020): the same ``k``
training pairs precede every test program's prompt. The exemplars come from ``ctx.exemplars``
only (the run's retrieval pool: ``--retrieve-from``, by default the evaluated dataset's train
split, already clear of every evaluated problem and its near-duplicates: problems that have a
reference fast version), never the problem under test nor a copy or near-duplicate of it (same
id, a normalised source equal to one of its own, or a similar one:
:mod:`optbench.datasets.overlap`). With ``fixed`` (the default) they are drawn once per pool
(seeded by the pool's content), so every problem of a run sees the same ones, unlike ``rag``;
without it each problem gets its own seeded draw. Arguments:

* ``k`` — number of exemplars (fewer when fewer are available).
* ``same_kind`` — prefer exemplars of the problem's kind (function or program).
* ``fixed`` — the same exemplars for every problem (PIE) or a draw per problem.
* ``temperature``, ``samples``, ``max_new_tokens`` — sampling.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Sequence

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.datasets.overlap import OverlapGuard
from optbench.techniques import Context, technique
from optbench.techniques.prompting import describe_problem, render, render_examples
from optbench.techniques.registry import Technique
from optbench.techniques.retrieval import source_hash
from optimizers._prompting import ask


def eligible_exemplars(problem: Problem, exemplars: Sequence[Problem]) -> list[Problem]:
    """Exemplars with a reference, minus the problem, its copies and near-duplicates, and
    repeats of one another, in a stable order."""
    own = source_hash(problem.slow_source)
    guard = OverlapGuard()
    guard.add(problem.id, problem.slow_source, problem.fast_source)
    seen: set[str] = {own}
    out: list[Problem] = []
    for other in sorted(exemplars, key=lambda p: p.key):
        if other.fast_source is None or other.key == problem.key:
            continue
        digest = source_hash(other.slow_source)
        if digest in seen or source_hash(other.fast_source) == own:
            continue
        if guard.overlap(other) is not None:
            continue
        seen.add(digest)
        out.append(other)
    return out


def pool_seed(exemplars: Sequence[Problem]) -> int:
    """A seed fixed by the pool's content: the same draw for every problem of a run."""
    keys = "\n".join(sorted(f"{p.key}:{p.content_hash}" for p in exemplars))
    return int.from_bytes(hashlib.sha256(keys.encode()).digest()[:8], "big")


def choose_exemplars(
    problem: Problem, ctx: Context, k: int, same_kind: bool = True, fixed: bool = False
) -> list[Problem]:
    """``k`` exemplars. ``fixed``: the first eligible ones of one seeded shuffle of the
    whole pool, so every problem sees the same ones unless one of them is too close to it;
    otherwise a draw with the problem's own RNG."""
    pool = eligible_exemplars(problem, ctx.exemplars)
    if fixed:
        order = sorted(ctx.exemplars, key=lambda p: p.key)
        random.Random(pool_seed(ctx.exemplars)).shuffle(order)
        rank = {p.key: i for i, p in enumerate(order)}
        pool.sort(key=lambda p: rank.get(p.key, len(rank)))
    if same_kind:
        preferred = [p for p in pool if p.kind is problem.kind]
        rest = [p for p in pool if p.kind is not problem.kind]
    else:
        preferred, rest = pool, []
    if fixed:
        return (preferred + rest)[:k]
    chosen = ctx.rng.sample(preferred, min(k, len(preferred)))
    if len(chosen) < k and rest:
        chosen += ctx.rng.sample(rest, min(k - len(chosen), len(rest)))
    return chosen


@technique(
    "few_shot",
    family="prompt engineering",
    summary="k fixed slow→fast exemplars of the training pool (the same for every problem, "
    "never the problem itself) before the task.",
    paper="Shypula et al., 'Learning Performance-Improving Code Edits' (PIE), ICLR 2024: "
    "few-shot prompting",
    citation="Brown et al. 2020",
    differences=(
        "PIE hand-picks its few-shot pairs from the training set; here they are a seeded draw "
        "from the run's retrieval pool (fixed per pool), preferring the problem's kind.",
        "A problem that is itself a near-duplicate of a drawn exemplar gets the next ones "
        "instead (the guard is per problem as well as per run).",
    ),
)
class FewShot(Technique):
    uses_exemplars = True

    def __init__(
        self,
        k: int = 2,
        same_kind: bool = True,
        fixed: bool = True,
        temperature: float = 0.0,
        samples: int = 1,
        max_new_tokens: int = 2048,
    ) -> None:
        if k < 0 or samples < 1:
            raise ValueError("k must be >= 0 and samples >= 1")
        self.k = k
        self.same_kind = same_kind
        self.fixed = fixed
        self.temperature = temperature
        self.samples = samples
        self.max_new_tokens = max_new_tokens

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        chosen = choose_exemplars(problem, ctx, self.k, self.same_kind, self.fixed)
        if len(chosen) < self.k:
            ctx.log(f"few_shot: only {len(chosen)} of {self.k} exemplars available")
        pairs = [(p.slow_source, p.fast_source or "") for p in chosen]
        prompt = render(
            "few_shot", examples=render_examples(pairs), problem=describe_problem(problem)
        )
        yield from ask(
            ctx,
            problem,
            prompt,
            temperature=self.temperature,
            max_new_tokens=self.max_new_tokens,
            n=self.samples,
            extra={"exemplars": [p.key for p in chosen]},
        )
