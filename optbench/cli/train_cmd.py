"""``optbench train``: training data from runs and datasets, SFT and DPO fine-tuning."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from optbench.cli._common import console, db_option, fail, print_json
from optbench.datasets import ProblemLoadError
from optbench.run.config import RunConfig
from optbench.train.config import DPOConfig, SFTConfig, TrainConfig

_TYPES: dict[str, Any] = {"int": int, "float": float, "str": str}


def _config_options(cls: type[TrainConfig]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """One option per config field (``--learning-rate`` for ``learning_rate``), defaulting to
    ``None`` so that only the options given override the config file."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for f in reversed(dataclasses.fields(cls)):
            flag = "--" + f.name.replace("_", "-")
            annotation = str(f.type)
            help_text = f.metadata.get("help", "")
            if f.default not in ("", None):
                help_text += f" [default: {f.default}]"
            if annotation.startswith("bool"):
                decls = [f"{flag}/--no-{flag[2:]}", f.name]
                func = click.option(*decls, default=None, help=help_text)(func)
            else:
                kind = _TYPES[annotation.split(" ")[0]]
                decls = [flag, *f.metadata.get("flags", ()), f.name]
                func = click.option(*decls, type=kind, default=None, help=help_text)(func)
        return click.option(
            "--config",
            "config_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="TOML or YAML file of these options (command-line options override it).",
        )(func)

    return decorate


@click.group("train")
def train_group() -> None:
    """Fine-tune models on slow→fast pairs (SFT) and preference pairs (DPO).

    \b
    Typical session (runs 1 and 2 on the train split, the model evaluated on the eval split):
      optbench run --split train --technique best_of_n --model ollama:qwen2.5-coder
      optbench train data --from-runs 1,2 --kind dpo --out dpo.jsonl
      optbench train dpo --base ./deepseek-coder-1.3b --data dpo.jsonl --out ./ft-dpo
      optbench run --dataset optbench-py --technique zero_shot --model hf:./ft-dpo
    """


def _run_ids(text: str | None) -> list[int]:
    if not text:
        return []
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        fail(f"--from-runs expects comma-separated run ids, got {text!r}")
        raise AssertionError("unreachable") from None


@train_group.command("data")
@click.option(
    "--from-runs", "runs", metavar="IDS", help="Stored runs to take candidates from: 1,2."
)
@click.option(
    "--dataset",
    metavar="NAME",
    help="Dataset the runs' problems are looked up in (default: each run's own dataset).",
)
@click.option(
    "--references",
    is_flag=True,
    help="Add the reference slow→fast pairs of --dataset (or of the runs' datasets).",
)
@click.option(
    "--pairs",
    "pair_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL of slow→fast pairs (generic slow_code/fast_code, or PIE input/target). Repeatable.",
)
@db_option
@click.option("--kind", type=click.Choice(["sft", "dpo"]), default="sft", show_default=True)
@click.option(
    "--out", "out_file", required=True, type=click.Path(path_type=Path), help="JSONL file."
)
@click.option(
    "--exclude-dataset",
    multiple=True,
    metavar="DATASET[:SPLIT]",
    help="The evaluation set: a dataset (or one split of it, e.g. optbench-py:eval) whose "
    "problems, copies and near-duplicates are not trained on. Repeatable. Default, unless "
    "--exclude-problems is given: the eval split of optbench-py and of every dataset the "
    "data comes from.",
)
@click.option(
    "--exclude-problems",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The evaluation set as a file: problem ids one a line, or JSONL with id and slow "
    "(and fast) code.",
)
@click.option("--template", default="zero_shot", show_default=True, help="Prompt template.")
@click.option(
    "--conditioned",
    is_flag=True,
    help="PIE's performance-conditioned SFT data (for `train sft --conditioned`): each target "
    "tagged with the score bucket of its measured speedup among its problem's equivalent "
    "versions, in the perf_conditioned technique's prompt. Needs --from-runs with measured "
    "candidates (e.g. of the reference technique); --kind sft only.",
)
@click.option(
    "--scale",
    type=click.IntRange(2, 100),
    default=10,
    show_default=True,
    help="Number of score buckets with --conditioned (PIE: 10; perf_conditioned's scale).",
)
@click.option("--min-speedup", type=float, default=1.1, show_default=True)
@click.option(
    "--allow-insignificant",
    is_flag=True,
    help="Count speedups/slowdowns that are not statistically significant.",
)
@click.option(
    "--max-per-problem",
    type=int,
    default=None,
    help="Cap on examples (SFT, default none) or pairs (DPO, default 8) per problem.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def data_cmd(
    runs: str | None,
    dataset: str | None,
    references: bool,
    pair_files: tuple[Path, ...],
    db_url: str | None,
    kind: str,
    out_file: Path,
    exclude_dataset: tuple[str, ...],
    exclude_problems: tuple[Path, ...],
    template: str,
    conditioned: bool,
    scale: int,
    min_speedup: float,
    allow_insignificant: bool,
    max_per_problem: int | None,
    as_json: bool,
) -> None:
    """Export SFT examples (prompt/completion) or DPO pairs (prompt/chosen/rejected) as JSONL."""
    from optbench.train.data import (
        Attempt,
        Rules,
        build_dpo,
        build_sft,
        jsonl_attempts,
        reference_attempts,
        run_attempts,
        write_jsonl,
    )
    from optbench.train.guard import EvalGuard

    run_ids = _run_ids(runs)
    if not run_ids and not pair_files and not references:
        fail("nothing to build from: give --from-runs, --pairs and/or --references")
    if conditioned and kind != "sft":
        fail("--conditioned builds SFT data: use it with --kind sft")
    if conditioned and not run_ids:
        fail(
            "--conditioned needs measured candidates: give --from-runs "
            "(runs of the reference technique count)"
        )
    if references and not dataset and not run_ids:
        fail("--references needs --dataset (or --from-runs, to use the runs' datasets)")
    attempts: list[Attempt] = []
    try:
        ref_datasets = {dataset} if dataset else set()
        if run_ids:
            from optbench.store import open_store

            with open_store(db_url) as store:
                attempts += run_attempts(store, run_ids, dataset)
                if not dataset:
                    ref_datasets = {store.get_run(r).dataset for r in run_ids}
        if references:
            for name in sorted(ref_datasets):
                attempts += reference_attempts(name)
        for path in pair_files:
            attempts += jsonl_attempts(path)
        guard = EvalGuard()
        for name in exclude_dataset:
            guard.add_dataset(name)
        for path in exclude_problems:
            guard.add_file(path)
        if not exclude_dataset and not exclude_problems:
            for name in sorted({RunConfig().dataset, *ref_datasets}):
                guard.add_dataset(f"{name}:eval")
    except (KeyError, ValueError, FileNotFoundError, ProblemLoadError) as exc:
        fail(str(exc))
    default_cap = 8 if kind == "dpo" else 0
    rules = Rules(
        min_speedup=min_speedup,
        require_significant=not allow_insignificant,
        max_per_problem=default_cap if max_per_problem is None else max_per_problem,
    )
    if conditioned:
        from optbench.train.conditioned import build_conditioned_sft

        records, report = build_conditioned_sft(
            attempts, rules=rules, guard=guard or None, scale=scale
        )
    else:
        build = build_dpo if kind == "dpo" else build_sft
        records, report = build(attempts, rules=rules, guard=guard or None, template=template)
    write_jsonl(records, out_file)
    summary: dict[str, Any] = {"kind": kind, "out": str(out_file), **report.summary()}
    summary["conditioned"] = conditioned
    summary["eval_guard"] = guard.sources
    if as_json:
        print_json(summary)
        return
    console.print(
        f"wrote {report.records} {'score-tagged ' if conditioned else ''}{kind} records for "
        f"{len(report.problems)} problems to {out_file}"
    )
    console.print(
        f"  from {report.attempts} attempts: {report.duplicates} duplicates dropped, "
        f"{report.unusable} unusable (neither good nor bad, unpaired or a copy of the slow code)"
    )
    console.print(
        f"  evaluation guard ({'; '.join(guard.sources)}): dropped {report.excluded} "
        f"attempts of {len(report.excluded_problems)} problems that are evaluation problems, "
        f"copies or near-duplicates of them ({len(report.excluded_near_duplicates)} "
        "near-duplicates)"
    )
    if report.attempts and report.excluded == report.attempts:
        console.print(
            "  every attempt was on the evaluation set: build training data from runs on a "
            "train split (optbench run --split train), or name the evaluation set with "
            "--exclude-dataset DATASET[:SPLIT]"
        )


def _train(cls: type[TrainConfig], config_file: Path | None, options: dict[str, Any]) -> None:
    try:
        config = cls.load(config_file, **options)
    except (ValueError, TypeError, FileNotFoundError) as exc:
        fail(str(exc))
    for name in ("base", "data", "out"):
        if not getattr(config, name):
            fail(f"--{name} is required (on the command line or in the config file)")
    try:
        from optbench.train.fit import train
    except ImportError as exc:
        fail(f"training needs the train extra (pip install 'optbench[train]'): {exc}")
    try:
        result = train(config)
    except (ValueError, FileNotFoundError) as exc:
        fail(str(exc))
    loss = result.metrics.get("train/loss")
    console.print(
        f"trained {result.global_step} steps on {result.examples} {cls.algorithm} records"
        + (
            f" ({result.truncated} truncated to {config.max_length} tokens)"
            if result.truncated
            else ""
        )
        + (f"; last loss {loss:.4f}" if loss is not None else "")
    )
    console.print(f"model: hf:{result.out}   (logs: {result.out / 'logs'})")


@train_group.command("sft")
@_config_options(SFTConfig)
def sft_cmd(config_file: Path | None, **options: Any) -> None:
    """Supervised fine-tuning (loss on the completion tokens), LoRA by default."""
    _train(SFTConfig, config_file, options)


@train_group.command("dpo")
@_config_options(DPOConfig)
def dpo_cmd(config_file: Path | None, **options: Any) -> None:
    """Direct Preference Optimization against the frozen base model, LoRA by default."""
    _train(DPOConfig, config_file, options)


@train_group.command("tiny")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--vocab-size", type=int, default=1024, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
def tiny_cmd(out: Path, vocab_size: int, seed: int) -> None:
    """Write a tiny random LLaMA with a locally trained tokenizer (for trying the pipeline)."""
    from optbench.train.tiny import make_tiny_model

    make_tiny_model(out, vocab_size=vocab_size, seed=seed)
    console.print(f"tiny model: hf:{out}")
