"""Local generation throughput of the ``hf:`` backend: one sample vs a batch of samples.

Decodes the zero_shot prompt of an optbench-py problem with SmolLM2-135M-Instruct (pulled
on first use) through :class:`optbench.models.hf.HFModel`, the same path a run takes:
sampled (temperature 0.8) one stream at a time, then the samples of one request as one
batch, then several distinct requests as one left-padded batch. Prints generated tokens
per second (output tokens only, a row's tokens after its end not counted) and the batch's
ratio to the single stream. Every configuration is repeated and the best repeat kept (the
machine is shared; the best is the least disturbed).

    .venv/bin/python bench/generation_throughput.py [--model hf:smollm2-135m]
        [--batch 8] [--tokens 64] [--repeats 2] [--threads 2] [--dtype float32]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from rich.console import Console
from rich.table import Table

from optbench.datasets import load_split
from optbench.models import Message, SamplingParams, load_model
from optbench.techniques.prompting import chat, describe_problem, render


def _prompts(count: int) -> list[list[Message]]:
    _, problems = load_split("optbench-py:eval")
    chosen = sorted(problems, key=lambda p: p.id)[:count]
    return [chat(render("zero_shot", problem=describe_problem(p))) for p in chosen]


def _best(run, repeats: int) -> tuple[int, float]:
    best: tuple[int, float] | None = None
    for _ in range(repeats):
        start = time.perf_counter()
        tokens = run()
        seconds = time.perf_counter() - start
        if best is None or tokens / seconds > best[0] / best[1]:
            best = (tokens, seconds)
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="hf:smollm2-135m")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=64, help="max_new_tokens of each sample")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (CPU)")
    parser.add_argument("--dtype", default=None, help="load dtype (default: the checkpoint's)")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    options = {"dtype": args.dtype} if args.dtype else {}
    model = load_model(args.model, **options)
    device = str(model.model.device)
    (prompt,) = _prompts(1)
    distinct = _prompts(args.batch)
    params = SamplingParams(temperature=0.8, top_p=0.95, max_new_tokens=args.tokens, seed=0)
    model.generate(prompt, SamplingParams(max_new_tokens=4))  # warm-up

    def single() -> int:
        return sum(model.generate(prompt, params, 1)[0].output_tokens for _ in range(2))

    def samples() -> int:
        return sum(c.output_tokens for c in model.generate(prompt, params, args.batch))

    def requests() -> int:
        batch = model.generate_batch([(m, [0]) for m in distinct], params)
        return sum(c.output_tokens for out in batch for c in out)

    rows = [
        ("1 sample (x2 calls)", *_best(single, args.repeats)),
        (f"{args.batch} samples of one request", *_best(samples, args.repeats)),
        (f"{args.batch} distinct requests, left-padded", *_best(requests, args.repeats)),
    ]
    base = rows[0][1] / rows[0][2]
    table = Table(
        title=f"{args.model} on {device} ({model.model.dtype}, {torch.get_num_threads()} "
        f"threads, {os.cpu_count()} cores, {platform.processor() or platform.machine()}), "
        f"max_new_tokens={args.tokens}"
    )
    for column in ("configuration", "tokens", "seconds", "tokens/s", "vs 1 sample"):
        table.add_column(column, justify="left" if column == "configuration" else "right")
    for name, tokens, seconds in rows:
        rate = tokens / seconds
        table.add_row(name, str(tokens), f"{seconds:.1f}", f"{rate:.1f}", f"{rate / base:.2f}x")
    Console().print(table)


if __name__ == "__main__":
    main()
