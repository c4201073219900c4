"""``search``: SBLLM — search-based LLM code optimization (Gao et al., ICSE 2025).

SBLLM iterates three steps over the candidates evaluated so far:

1. **Representative sample selection** — correct candidates by speedup, one per abstract form
   (names and literals abstracted), then, while fewer than the beam, incorrect ones, the most
   central first: fitness and diversity (:func:`~optbench.techniques.patterns.select_representatives`).
2. **Adaptive optimization-pattern retrieval** — from the training pool (``ctx.exemplars``,
   clear of every evaluated problem), the pair whose slow code and whose edit best match the
   problem and the selected candidates' edits (a *similar* pattern) and one whose edit differs
   (a *dissimilar* one), shown as diffs (:class:`~optbench.techniques.patterns.PatternRetriever`).
3. **Genetic operator-inspired chain of thought (GO-COT)** — one prompt shows the original, the
   selected versions labelled correct-and-optimized, correct-but-unoptimized or incorrect with
   their speedups, and the patterns; the model analyses them, combines their optimizations
   (crossover), names unused opportunities (mutation) and writes new code; ``samples``
   completions are drawn from it.

Iteration 0 samples from the instruction prompt. The search stops when the iterations (or the
token budget) end, or when an iteration leaves the selected versions unchanged and the best is
correct. Every candidate is evaluated and yielded: ``round`` is the iteration, ``parent_id``
the best selected version, ``extra["parents"]`` all the selected ones, ``extra["patterns"]``
the pool pairs shown; a child has the largest ``sample`` of its parents (see ``evolve``).
Arguments:

* ``iterations`` — iterations after the initial one; ``None`` uses ``ctx.budget.rounds``
  (SBLLM: 4).
* ``samples`` — completions per iteration (SBLLM: 5).
* ``beam`` — selected versions shown in the prompt (SBLLM: 3); ``keep`` — kept for the next
  selection (SBLLM: 5).
* ``patterns`` — retrieve optimization patterns (turn off for SBLLM's ablation without them).
  With patterns the run needs a retrieval pool (``--retrieve-from``, by default the dataset's
  train split); ``--retrieve-from none`` runs the search without them.
* ``temperature`` (SBLLM: 0.7), ``max_new_tokens`` — sampling.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, Feedback, technique
from optbench.techniques.patterns import Pattern, PatternRetriever, select_representatives
from optbench.techniques.prompting import describe_problem, render
from optbench.techniques.registry import Technique
from optimizers._prompting import ask

_RETRIEVERS: dict[tuple[str, ...], PatternRetriever] = {}


@dataclass
class Version:
    candidate: Candidate
    feedback: Feedback

    @property
    def speedup(self) -> float:
        return self.feedback.speedup or 0.0

    def label(self) -> str:
        if not self.feedback.equivalent:
            return "incorrect"
        return "correct and optimized" if self.speedup > 1.0 else "correct but unoptimized"

    def performance(self) -> str:
        if not self.feedback.equivalent:
            return f"Correct: no ({self.feedback.verdict.status.value}). Speedup: -"
        measured = f"{self.speedup:.2f}x" if self.feedback.speedup is not None else "not measured"
        return f"Correct: yes. Speedup: {measured}"


def pattern_retriever(pool: Sequence[Problem]) -> PatternRetriever:
    key = tuple(sorted(f"{p.key}:{p.content_hash}" for p in pool))
    if key not in _RETRIEVERS:
        _RETRIEVERS[key] = PatternRetriever(pool)
    return _RETRIEVERS[key]


@technique(
    "search",
    family="search-based",
    summary="SBLLM: representative selection of evaluated candidates, adaptive "
    "optimization-pattern retrieval, genetic-operator chain-of-thought prompts.",
    paper="Gao et al., 'Search-Based LLMs for Code Optimization' (SBLLM), ICSE 2025",
    citation="evolve (generic evolutionary search)",
    differences=(
        "Incorrect candidates are ordered by their total difflib distance over abstracted "
        "tokens, not by token edit distance (same ordering idea, no extra dependency).",
        "Patterns are retrieved from the run's training pool with its reference fast "
        "versions, rather than from PIE's training pairs with their human edits.",
        "Correctness is the differential verdict (equivalent or not), not the share of "
        "passed test cases; speedups are measured with pyperf, not by repeated wall-clock runs.",
        "Searches one problem at a time; the iteration's completions share one prompt.",
    ),
)
class SBLLM(Technique):
    def __init__(
        self,
        iterations: int | None = None,
        samples: int = 5,
        beam: int = 3,
        keep: int = 5,
        patterns: bool = True,
        temperature: float = 0.7,
        max_new_tokens: int = 2048,
    ) -> None:
        if samples < 1 or beam < 1 or keep < beam:
            raise ValueError("samples and beam must be >= 1, keep >= beam")
        if iterations is not None and iterations < 0:
            raise ValueError("iterations must be >= 0")
        self.iterations = iterations
        self.samples = samples
        self.beam = beam
        self.keep = keep
        self.patterns = patterns
        self.temperature = temperature
        self.max_new_tokens = max_new_tokens
        self.uses_exemplars = patterns  # type: ignore[misc]

    def select(self, versions: Sequence[Version]) -> list[Version]:
        return select_representatives(
            versions,
            code=lambda v: v.candidate.code,
            correct=lambda v: v.feedback.equivalent,
            speedup=lambda v: v.speedup,
            keep=self.keep,
            beam=self.beam,
        )

    def retrieve(self, problem: Problem, shown: Sequence[Version], ctx: Context) -> list[Pattern]:
        if not self.patterns or not ctx.exemplars:
            return []
        retriever = pattern_retriever(ctx.exemplars)
        return retriever.retrieve(problem, [v.candidate.code for v in shown])

    def prompt(self, description: str, shown: Sequence[Version], found: list[Pattern]) -> str:
        versions = "\n".join(
            render(
                "sbllm_version",
                index=i,
                label=v.label(),
                code=v.candidate.code.strip("\n"),
                performance=v.performance(),
            )
            for i, v in enumerate(shown, start=1)
        )
        patterns = ""
        if found:
            by_kind = {p.kind: p.text for p in found}
            patterns = render(
                "sbllm_patterns",
                similar=by_kind.get("similar", "(none)"),
                dissimilar=by_kind.get("dissimilar", "(none)"),
            )
            patterns += "\n"
        return render("sbllm", problem=description, versions=versions, patterns=patterns)

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        iterations = self.iterations if self.iterations is not None else ctx.budget.rounds
        description = describe_problem(problem)
        versions: list[Version] = []
        selected: list[Version] = []
        seen: set[str] = set()
        for iteration in range(iterations + 1):
            if iteration == 0:
                children = ask(
                    ctx,
                    problem,
                    render("zero_shot", problem=description),
                    temperature=self.temperature,
                    max_new_tokens=self.max_new_tokens,
                    n=self.samples,
                    round=0,
                    extra={"operator": "init", "parents": []},
                )
            else:
                shown = selected[: self.beam]
                found = self.retrieve(problem, shown, ctx)
                ids = [v.candidate.id for v in shown]
                children = ask(
                    ctx,
                    problem,
                    self.prompt(description, shown, found),
                    temperature=self.temperature,
                    max_new_tokens=self.max_new_tokens,
                    n=self.samples,
                    round=iteration,
                    parent_id=ids[0],
                    sample=max(v.candidate.sample for v in shown),
                    keep_reasoning=True,
                    extra={
                        "operator": "go-cot",
                        "parents": ids,
                        "patterns": [p.key for p in found],
                    },
                )
            for child in children:
                if child.code_hash in seen:
                    ctx.log(f"search: iteration {iteration} repeated a known candidate")
                    continue
                seen.add(child.code_hash)
                versions.append(Version(child, ctx.evaluate(child)))
                yield child
            previous = [v.candidate.id for v in selected[: self.beam]]
            selected = self.select(versions)
            if not selected:
                ctx.log(f"search: iteration {iteration} left nothing to select; stopping")
                return
            best = selected[0]
            ctx.log(
                f"search: iteration {iteration} best candidate {best.candidate.id} "
                f"fitness {best.feedback.fitness}"
            )
            unchanged = [v.candidate.id for v in selected[: self.beam]] == previous
            if iteration > 0 and unchanged and best.feedback.equivalent:
                ctx.log(f"search: iteration {iteration} changed no selected version; stopping")
                return
