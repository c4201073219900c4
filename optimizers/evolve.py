"""``evolve``: generic evolutionary search with the model as mutation and crossover operator.

In the manner of OpenEvolve/AlphaEvolve (Novikov et al., 2025) and LLM-driven genetic
improvement; SBLLM (Gao et al., ICSE 2025) as published is ``search``. Generation 0
samples a population from the instruction prompt; each later generation makes offspring by
*mutation* (one parent chosen by tournament, shown with its evaluation) or *crossover* (two
parents combined); the evaluator gives the fitness (equivalent first, then speedup), and the
next population keeps the fittest of parents and offspring (elitism: the best is never
lost). Every candidate is evaluated and yielded; lineage goes in ``parent_id`` (for
crossover the first parent, with both in ``extra["parents"]``), ``round`` is the generation.
The initial population is samples ``0 .. population-1``; a child has the sample of its parent
(the larger of its two parents' for crossover), so "the first k samples" are the first k
initial draws and what was bred from them alone. Arguments:

* ``generations`` — generations after the initial one; ``None`` uses ``ctx.budget.rounds``.
* ``population`` — population size (and the initial sample count).
* ``offspring`` — children per generation; ``None`` means ``population``.
* ``crossover_rate`` — probability that a child comes from crossover (needs two parents).
* ``tournament`` — tournament size of parent selection.
* ``temperature``, ``max_new_tokens`` — sampling.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem
from optbench.techniques import Context, Feedback, technique
from optbench.techniques.prompting import describe_problem, render
from optbench.techniques.registry import Technique
from optimizers._prompting import ask


@dataclass
class Member:
    candidate: Candidate
    feedback: Feedback

    @property
    def fitness(self) -> tuple[int, float]:
        return self.feedback.fitness

    def rank_key(self) -> tuple[int, float, int]:
        """Fitness, then the earlier candidate first."""
        return (*self.fitness, -(self.candidate.id or 0))


@dataclass
class Offspring:
    """A child to ask for: its prompt and the parents it comes from."""

    prompt: str
    parents: list[Member]
    operator: str


@technique(
    "evolve",
    family="search-based",
    summary="Generic evolutionary search: LLM mutation and crossover, evaluator fitness, elitism.",
    paper="Novikov et al., 'AlphaEvolve: A coding agent for scientific and algorithmic "
    "discovery', 2025 (evolutionary loop with an LLM as variation operator)",
    citation="OpenEvolve; Gao et al. 2025 (SBLLM, as technique 'search')",
    differences=(
        "One program per problem evolves (no islands, MAP-Elites grid or program database "
        "across problems as in AlphaEvolve/OpenEvolve); tournament selection and elitism.",
        "Full-program rewrites, not diff-based edits of marked blocks.",
        "Fitness is the evaluator's (equivalent first, then measured speedup); no "
        "multi-objective scores.",
    ),
)
class EvolutionarySearch(Technique):
    def __init__(
        self,
        generations: int | None = None,
        population: int = 4,
        offspring: int | None = None,
        crossover_rate: float = 0.3,
        tournament: int = 2,
        temperature: float = 0.8,
        max_new_tokens: int = 2048,
    ) -> None:
        if population < 1 or (offspring is not None and offspring < 1) or tournament < 1:
            raise ValueError("population, offspring and tournament must be >= 1")
        if not 0.0 <= crossover_rate <= 1.0:
            raise ValueError("crossover_rate must lie in [0, 1]")
        self.generations = generations
        self.population = population
        self.offspring = offspring
        self.crossover_rate = crossover_rate
        self.tournament = tournament
        self.temperature = temperature
        self.max_new_tokens = max_new_tokens

    def select(self, population: list[Member], ctx: Context) -> Member:
        entrants = [ctx.rng.choice(population) for _ in range(self.tournament)]
        return max(entrants, key=Member.rank_key)

    def plan(
        self, population: list[Member], generation: int, description: str, ctx: Context
    ) -> list[Offspring]:
        count = self.offspring if self.offspring is not None else self.population
        plans: list[Offspring] = []
        for _ in range(count):
            first = self.select(population, ctx)
            others = [m for m in population if m is not first]
            if others and ctx.rng.random() < self.crossover_rate:
                second = self.select(others, ctx)
                prompt = render(
                    "search_crossover",
                    problem=description,
                    generation=generation,
                    parent_a=first.candidate.code.strip("\n"),
                    feedback_a=first.feedback.for_prompt(),
                    parent_b=second.candidate.code.strip("\n"),
                    feedback_b=second.feedback.for_prompt(),
                )
                plans.append(Offspring(prompt, [first, second], "crossover"))
            else:
                prompt = render(
                    "search_mutate",
                    problem=description,
                    generation=generation,
                    parent=first.candidate.code.strip("\n"),
                    feedback=first.feedback.for_prompt(),
                )
                plans.append(Offspring(prompt, [first], "mutation"))
        return plans

    def breed(
        self, problem: Problem, plans: list[Offspring], generation: int, ctx: Context
    ) -> list[Candidate]:
        """One model call per distinct prompt, ``n`` = how many children share it."""
        groups: dict[str, list[Offspring]] = {}
        for plan in plans:
            groups.setdefault(plan.prompt, []).append(plan)
        children: list[Candidate] = []
        for prompt, members in groups.items():
            parents = members[0].parents
            ids = [p.candidate.id for p in parents]
            made = ask(
                ctx,
                problem,
                prompt,
                temperature=self.temperature,
                max_new_tokens=self.max_new_tokens,
                n=len(members),
                round=generation,
                parent_id=ids[0],
                sample=max(p.candidate.sample for p in parents),
                extra={"operator": members[0].operator, "parents": ids},
            )
            children.extend(made)
        return children

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        generations = self.generations if self.generations is not None else ctx.budget.rounds
        description = describe_problem(problem)
        population: list[Member] = []
        seen: set[str] = set()
        for generation in range(generations + 1):
            if population:
                plans = self.plan(population, generation, description, ctx)
                children = self.breed(problem, plans, generation, ctx)
            else:
                children = ask(
                    ctx,
                    problem,
                    render("zero_shot", problem=description),
                    temperature=self.temperature,
                    max_new_tokens=self.max_new_tokens,
                    n=self.population,
                    round=generation,
                    extra={"operator": "init", "parents": []},
                )
            for child in children:
                if child.code_hash in seen:
                    ctx.log(f"evolve: generation {generation} repeated a known candidate")
                    continue
                seen.add(child.code_hash)
                feedback = ctx.evaluate(child)
                population.append(Member(child, feedback))
                yield child
            population.sort(key=Member.rank_key, reverse=True)
            population = population[: self.population]
            if population:
                best = population[0]
                ctx.log(
                    f"evolve: generation {generation} best candidate {best.candidate.id} "
                    f"fitness {best.fitness}"
                )
