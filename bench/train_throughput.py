"""Training throughput of optbench's Lightning SFT/DPO modules, next to TRL's trainers.

Every case trains the same random-weight LLaMA-style model (by default shaped like
DeepSeek-Coder-1.3B: 24 layers, hidden 2048, MLP 5504, 16 heads, vocab 32256) on the same
synthetic data (random token ids; prompt and completion each half of ``--seq-len``), with
the same batch size, learning rate, precision, gradient checkpointing and LoRA setting,
for ``--warmup`` untimed then ``--steps`` timed optimizer steps. Each case runs in its own
process so that one case's memory does not weigh on the next.

    tokens/s = (sequence tokens per step) / (mean step time)
    MFU      = 6 · N · tokens/s / peak bf16 FLOP/s

N counts every parameter of the base model (embeddings included, LoRA weights not); a DPO
step's tokens are its chosen + rejected sequences, each counted as the trainer tokenized
it (TRL adds no EOS to an SFT completion: 1 token fewer) (the reference pass is not counted: it
is precomputed without LoRA, and an extra forward with LoRA). The peak comes from the
device name (``PEAK_BF16``) or ``--peak-tflops``; on CPU there is none unless given.

    python bench/train_throughput.py                # GPU, 1.3B
    python bench/train_throughput.py --tiny         # CPU smoke run, tiny model
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CASES = ("lightning-sft", "trl-sft", "lightning-dpo", "trl-dpo")

DEEPSEEK_CODER_1_3B: dict[str, Any] = {
    "vocab_size": 32256,
    "hidden_size": 2048,
    "intermediate_size": 5504,
    "num_hidden_layers": 24,
    "num_attention_heads": 16,
    "num_key_value_heads": 16,
    "max_position_embeddings": 16384,
    "rope_theta": 100000.0,
    "rms_norm_eps": 1e-6,
    "tie_word_embeddings": False,
}
TINY: dict[str, Any] = {
    "vocab_size": 1024,
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 4,
    "max_position_embeddings": 2048,
    "tie_word_embeddings": False,
}

# Dense bf16 tensor-core peaks (TFLOP/s), matched against the CUDA device name in order.
PEAK_BF16: list[tuple[str, float]] = [
    ("H100 PCIe", 756.0),
    ("H100", 989.0),
    ("H200", 989.0),
    ("H800", 989.0),
    ("GH200", 989.0),
    ("B200", 2250.0),
    ("A100", 312.0),
    ("A800", 312.0),
    ("L40S", 362.0),
    ("L40", 181.0),
    ("L4", 121.0),
    ("A10G", 70.0),
    ("A10", 125.0),
    ("RTX 4090", 165.0),
    ("RTX 3090", 71.0),
]


def peak_tflops(device_name: str) -> float | None:
    for key, value in PEAK_BF16:
        if key.lower() in device_name.lower():
            return value
    return None


def device_name() -> str:
    import torch

    if torch.cuda.is_available():
        return torch.cuda.get_device_name(0)
    import platform

    return f"CPU {platform.processor() or platform.machine()} ({torch.get_num_threads()} threads)"


# -- the model and data ----------------------------------------------------------------


def make_base(root: Path, shape: dict[str, Any], seed: int = 0) -> tuple[Path, int]:
    """Random weights and a word-level tokenizer ("t0" … "tN": one word, one token)."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    vocab = {"<pad>": 0, "<eos>": 1, **{f"t{i}": i for i in range(2, shape["vocab_size"])}}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<eos>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<eos>", pad_token="<pad>")
    torch.manual_seed(seed)
    config = LlamaConfig(**shape, pad_token_id=0, eos_token_id=1, bos_token_id=None)
    dtype = torch.bfloat16 if torch.cuda.is_available() else torch.float32
    model = LlamaForCausalLM(config).to(dtype)
    n_params = sum(p.numel() for p in model.parameters())
    path = root / "base"
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path, n_params


def synthetic_records(n: int, seq_len: int, vocab: int, dpo: bool, seed: int = 0) -> list[dict]:
    """Prompt of seq_len/2 tokens, completion(s) of seq_len/2 - 1 (+ EOS = seq_len)."""
    import random

    rng = random.Random(seed)

    def words(k: int) -> str:
        return " ".join(f"t{rng.randrange(2, vocab)}" for _ in range(k))

    half = seq_len // 2
    if dpo:
        return [
            {"prompt": words(half), "chosen": words(half - 1), "rejected": words(half - 1)}
            for _ in range(n)
        ]
    return [{"prompt": words(half), "completion": words(half - 1)} for _ in range(n)]


# -- one case, in a child process --------------------------------------------------------


def run_lightning(
    args: argparse.Namespace, base: Path, records: list[dict], dpo: bool
) -> tuple[list[float], float]:
    import pytorch_lightning as pl
    import torch

    from optbench.train.config import DPOConfig, SFTConfig
    from optbench.train.fit import (
        build_dataset,
        build_loader,
        build_module,
        build_trainer,
        load_tokenizer,
    )

    times: list[float] = []

    class Timer(pl.Callback):
        def on_train_batch_start(self, trainer: Any, module: Any, batch: Any, idx: int) -> None:
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            self.start = time.perf_counter()

        def on_train_batch_end(
            self, trainer: Any, module: Any, out: Any, batch: Any, idx: int
        ) -> None:
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            times.append(time.perf_counter() - self.start)

    cls = DPOConfig if dpo else SFTConfig
    config = cls(
        base=str(base),
        out=str(Path(args.workdir) / "lightning"),
        lora=args.lora,
        max_steps=args.warmup + args.steps,
        batch_size=args.batch_size,
        max_length=args.seq_len,
        learning_rate=1e-5,
        warmup_steps=0,
        log_every=10**6,
        gradient_checkpointing=args.gradient_checkpointing,
    )
    tokenizer = load_tokenizer(config.base)
    dataset = build_dataset(config, tokenizer, records)
    module = build_module(config, dataset)
    loader = build_loader(config, dataset, tokenizer.pad_token_id)
    trainer = build_trainer(
        config, progress_bar=False, log=False, checkpoints=False, callbacks=[Timer()]
    )
    trainer.fit(module, train_dataloaders=loader)
    return times, dataset.tokens / len(dataset)


def run_trl(args: argparse.Namespace, base: Path, records: list[dict], dpo: bool) -> list[float]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback

    from datasets import Dataset

    times: list[float] = []

    class Timer(TrainerCallback):
        def on_step_begin(self, *a: Any, **k: Any) -> None:
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            self.start = time.perf_counter()

        def on_step_end(self, *a: Any, **k: Any) -> None:
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            times.append(time.perf_counter() - self.start)

    gpu = torch.cuda.is_available()
    checkpointing = gpu if args.gradient_checkpointing is None else args.gradient_checkpointing
    dtype = torch.bfloat16 if (gpu and args.lora) else torch.float32
    model = AutoModelForCausalLM.from_pretrained(base, dtype=dtype)
    tokenizer = AutoTokenizer.from_pretrained(base)
    peft_config = None
    if args.lora:
        from peft import LoraConfig

        peft_config = LoraConfig(
            r=16,
            lora_alpha=32,
            lora_dropout=0.05,
            target_modules="all-linear",
            task_type="CAUSAL_LM",
        )
    common: dict[str, Any] = {
        "output_dir": str(Path(args.workdir) / "trl"),
        "max_steps": args.warmup + args.steps,
        "per_device_train_batch_size": args.batch_size,
        "learning_rate": 1e-5,
        "lr_scheduler_type": "cosine",
        "bf16": gpu,
        "use_cpu": not gpu,
        "gradient_checkpointing": checkpointing,
        "max_length": args.seq_len,
        "logging_steps": 10**6,
        "save_strategy": "no",
        "report_to": [],
        "dataloader_num_workers": 0,
        "seed": 0,
    }
    data = Dataset.from_list(records)
    if dpo:
        from trl import DPOConfig, DPOTrainer

        cfg = DPOConfig(**common, beta=0.1, precompute_ref_log_probs=not args.lora)
        trainer: Any = DPOTrainer(
            model=model,
            args=cfg,
            train_dataset=data,
            processing_class=tokenizer,
            peft_config=peft_config,
            callbacks=[Timer()],
        )
    else:
        from trl import SFTConfig, SFTTrainer

        cfg = SFTConfig(**common, completion_only_loss=True, packing=False)
        trainer = SFTTrainer(
            model=model,
            args=cfg,
            train_dataset=data,
            processing_class=tokenizer,
            peft_config=peft_config,
            callbacks=[Timer()],
        )
    trainer.train()
    columns = ("chosen_ids", "rejected_ids", "prompt_ids", "prompt_ids") if dpo else ("input_ids",)
    first = trainer.train_dataset[0]
    return times, float(sum(len(first[c]) for c in columns))


def run_case(args: argparse.Namespace) -> None:
    import torch

    meta = json.loads(Path(args.workdir, "base.json").read_text())
    base = Path(args.workdir) / "base"
    framework, algorithm = args.case.split("-")
    dpo = algorithm == "dpo"
    records = synthetic_records(
        args.batch_size * (args.warmup + args.steps), args.seq_len, meta["vocab_size"], dpo
    )
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    runner = run_lightning if framework == "lightning" else run_trl
    times, seq_tokens = runner(args, base, records, dpo)
    times = times[args.warmup :]
    peak_mem = torch.cuda.max_memory_allocated() / 2**30 if torch.cuda.is_available() else None
    result = {
        "case": args.case,
        "step_times": times,
        "tokens_per_example": seq_tokens,
        "peak_mem_gib": peak_mem,
    }
    Path(args.workdir, f"{args.case}.json").write_text(json.dumps(result))


# -- the driver ------------------------------------------------------------------------


def summarise(
    result: dict[str, Any], args: argparse.Namespace, n_params: int, peak: float | None
) -> dict[str, Any]:
    times = result["step_times"]
    per_step = args.batch_size * result["tokens_per_example"]
    step = sum(times) / len(times) if times else float("nan")
    tps = per_step / step
    mfu = 6 * n_params * tps / (peak * 1e12) if peak else None
    return {**result, "steps": len(times), "step_s": step, "tokens_per_s": tps, "mfu": mfu}


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--tiny", action="store_true", help="a tiny model (CPU-friendly) instead of 1.3B"
    )
    p.add_argument(
        "--seq-len", type=int, default=None, help="tokens per sequence (default 1024; tiny 128)"
    )
    p.add_argument(
        "--batch-size", type=int, default=None, help="sequences (pairs) per step (default 4)"
    )
    p.add_argument("--steps", type=int, default=None, help="timed steps (default 10; tiny 5)")
    p.add_argument("--warmup", type=int, default=2, help="untimed steps first")
    p.add_argument(
        "--lora",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="LoRA r=16 on every linear layer (default: full fine-tuning)",
    )
    p.add_argument(
        "--gradient-checkpointing",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="default: on GPU only",
    )
    p.add_argument(
        "--peak-tflops",
        type=float,
        default=None,
        help="device peak bf16 TFLOP/s (default: by device name)",
    )
    p.add_argument(
        "--cases", default=",".join(CASES), help=f"comma-separated subset of {', '.join(CASES)}"
    )
    p.add_argument("--json", type=Path, default=None, help="also write the results to this file")
    p.add_argument("--case", help=argparse.SUPPRESS)
    p.add_argument("--workdir", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.seq_len = args.seq_len or (128 if args.tiny else 1024)
    args.batch_size = args.batch_size or 4
    args.steps = args.steps or (5 if args.tiny else 10)
    return args


def child_argv(args: argparse.Namespace, case: str, workdir: str) -> list[str]:
    argv = [sys.executable, __file__, "--case", case, "--workdir", workdir]
    argv += ["--seq-len", str(args.seq_len), "--batch-size", str(args.batch_size)]
    argv += ["--steps", str(args.steps), "--warmup", str(args.warmup)]
    argv += ["--lora" if args.lora else "--no-lora"]
    if args.gradient_checkpointing is not None:
        argv += [
            "--gradient-checkpointing"
            if args.gradient_checkpointing
            else "--no-gradient-checkpointing"
        ]
    return argv


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    if args.case:
        run_case(args)
        return
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = set(cases) - set(CASES)
    if unknown:
        sys.exit(f"unknown case(s) {', '.join(sorted(unknown))}; known: {', '.join(CASES)}")
    name = device_name()
    peak = args.peak_tflops or peak_tflops(name)
    shape = TINY if args.tiny else DEEPSEEK_CODER_1_3B
    rows = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="optbench-bench-") as workdir:
        _, n_params = make_base(Path(workdir), shape)
        Path(workdir, "base.json").write_text(json.dumps({"vocab_size": shape["vocab_size"]}))
        for case in cases:
            started = time.perf_counter()
            proc = subprocess.run(child_argv(args, case, workdir), capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"{case}: failed\n{proc.stderr[-3000:]}", file=sys.stderr)
                failed.append(case)
                continue
            result = json.loads(Path(workdir, f"{case}.json").read_text())
            rows.append(
                {**summarise(result, args, n_params, peak), "wall_s": time.perf_counter() - started}
            )
    mode = "LoRA r=16" if args.lora else "full fine-tuning"
    print(f"device: {name}; peak bf16: {f'{peak:.0f} TFLOP/s' if peak else 'unknown'}")
    print(
        f"model: {'tiny' if args.tiny else 'DeepSeek-Coder-1.3B shape'}, N = {n_params / 1e6:.1f} M params; {mode}"
    )
    print(
        f"batch {args.batch_size} x seq {args.seq_len}, {args.warmup} warm-up + {args.steps} timed steps"
    )
    print(
        f"{'case':<15} {'tok/example':>11} {'step s':>8} {'tokens/s':>10} {'MFU':>7} {'peak GiB':>9}"
    )
    for r in rows:
        mfu = f"{100 * r['mfu']:.1f}%" if r["mfu"] is not None else "-"
        mem = f"{r['peak_mem_gib']:.1f}" if r["peak_mem_gib"] is not None else "-"
        print(
            f"{r['case']:<15} {r['tokens_per_example']:>11.0f} {r['step_s']:>8.3f} {r['tokens_per_s']:>10.0f} {mfu:>7} {mem:>9}"
        )
    if args.json:
        meta = {
            "device": name,
            "peak_tflops": peak,
            "n_params": n_params,
            "args": {k: v for k, v in vars(args).items() if k not in ("json", "case", "workdir")},
        }
        args.json.write_text(
            json.dumps({"meta": meta, "rows": rows, "failed": failed}, indent=2, default=str)
        )
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
