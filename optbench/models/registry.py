"""Model specs: ``<backend>:<argument>`` strings that name a model, and ``load_model``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from optbench.models._types import ModelBackend
from optbench.models.errors import SpecError
from optbench.models.presets import find_preset


@dataclass(frozen=True)
class BackendInfo:
    name: str
    syntax: str
    description: str
    factory: Callable[..., ModelBackend]


def _openai(spec: str, arg: str, **options: Any) -> ModelBackend:
    from optbench.models.langchain_backend import openai_model

    model, _, base_url = arg.partition("@")
    if not model:
        raise SpecError(f"{spec!r}: expected openai:<model>[@<base_url>]")
    base_url = base_url or options.pop("base_url", None)
    return openai_model(spec, model, base_url or None, preset=find_preset(model), **options)


def _ollama(spec: str, arg: str, **options: Any) -> ModelBackend:
    from optbench.models.langchain_backend import ollama_model

    if not arg:
        raise SpecError(f"{spec!r}: expected ollama:<model>")
    return ollama_model(spec, arg, preset=find_preset(arg), **options)


def _langchain(spec: str, arg: str, **options: Any) -> ModelBackend:
    from optbench.models.langchain_backend import init_chat_model_backend

    provider, _, model = arg.partition(":")
    if not provider or not model:
        raise SpecError(f"{spec!r}: expected langchain:<provider>:<model>")
    return init_chat_model_backend(spec, provider, model, preset=find_preset(model), **options)


def _hf(spec: str, arg: str, **options: Any) -> ModelBackend:
    from pathlib import Path

    from optbench.models.hf import HFModel
    from optbench.models.pulled import read_manifest

    if not arg:
        raise SpecError(f"{spec!r}: expected hf:<path or hub id>")
    local = Path(arg).exists()
    # a pulled checkpoint, or a LoRA adapter trained on one, names its preset in a manifest
    manifest = (read_manifest(Path(arg)) or _adapter_base_manifest(Path(arg))) if local else None
    preset = find_preset(manifest.preset if manifest else Path(arg).name if local else arg)
    if local:
        source = arg
    elif preset is not None and preset.pull is not None:
        from optbench.models.pull import ensure_pulled

        manifest = ensure_pulled(preset, options.get("dtype"), report=_pull_note)
        source = manifest.path
    else:
        source = arg if preset is None else preset.hf_id
    if manifest is not None:
        options.setdefault("dtype", manifest.dtype)
    return HFModel.load(source, spec, preset=preset, **options)


def _adapter_base_manifest(folder: Any) -> Any:
    """The pull manifest of a LoRA adapter folder's base model, if that is a pulled one."""
    import json
    from pathlib import Path

    from optbench.models.pulled import read_manifest

    try:
        config = json.loads((folder / "adapter_config.json").read_text(encoding="utf-8"))
        return read_manifest(Path(config["base_model_name_or_path"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _pull_note(message: str) -> None:
    """Progress of a pull started by the first use of a preset spec, on stderr."""
    import sys

    print(f"optbench: {message}", file=sys.stderr, flush=True)


def _replay(spec: str, arg: str, **options: Any) -> ModelBackend:
    from optbench.models.replay import ReplayModel

    store = options.pop("store", None)
    if store is None:
        raise SpecError(
            f"{spec!r}: replay needs the store holding the run: load_model(spec, store=...)"
        )
    try:
        run_id = int(arg)
    except ValueError:
        raise SpecError(f"{spec!r}: expected replay:<run-id> with an integer run id") from None
    return ReplayModel(store, run_id, spec)


def _fake(spec: str, arg: str, **options: Any) -> ModelBackend:
    from optbench.models.fake import fake_from_spec

    return fake_from_spec(spec)


BACKENDS: dict[str, BackendInfo] = {
    b.name: b
    for b in (
        BackendInfo(
            "openai",
            "openai:<model>[@<base_url>]",
            "OpenAI-compatible server (vLLM, transformers serve, DeepSeek API) via langchain-openai",
            _openai,
        ),
        BackendInfo("ollama", "ollama:<model>", "Ollama server via langchain-ollama", _ollama),
        BackendInfo(
            "langchain",
            "langchain:<provider>:<model>",
            "any provider LangChain's init_chat_model knows",
            _langchain,
        ),
        BackendInfo(
            "hf",
            "hf:<path>",
            "local transformers causal LM (checkpoint dir, LoRA adapter dir, hub id, or a "
            "pullable preset such as smollm2-135m: pulled on first use)",
            _hf,
        ),
        BackendInfo("replay", "replay:<run-id>", "completions recorded in a stored run", _replay),
        BackendInfo(
            "fake",
            "fake:[<json list>|<file.json>|<file.txt>]",
            "scripted replies for tests (echoes the last message when empty)",
            _fake,
        ),
    )
}


def describe_backends() -> list[tuple[str, str]]:
    """``(syntax, description)`` of each backend, for ``optbench models list``."""
    return [(b.syntax, b.description) for b in BACKENDS.values()]


def check_model_spec(spec: str) -> None:
    """Raise :class:`SpecError` for a spec that cannot name a model (unknown backend, a
    missing argument, an unreadable ``fake:`` script, a non-integer run id), without
    loading weights or calling a server: a run checks its specs before it stores anything."""
    name, sep, arg = spec.partition(":")
    arg = arg.strip()
    if not sep or name not in BACKENDS:
        known = ", ".join(b.syntax for b in BACKENDS.values())
        raise SpecError(f"unknown model spec {spec!r}; expected one of: {known}")
    syntax = BACKENDS[name].syntax
    if name == "fake":
        _fake(spec, arg)
        return
    first, _, rest = arg.partition("@" if name == "openai" else ":")
    missing = not first or (name == "langchain" and not rest)
    if missing:
        raise SpecError(f"{spec!r}: expected {syntax}")
    if name == "replay":
        try:
            int(arg)
        except ValueError:
            raise SpecError(f"{spec!r}: expected replay:<run-id> with an integer run id") from None


OLLAMA_URL = "http://127.0.0.1:11434"


def server_url(spec: str) -> str | None:
    """Where the model server a spec names listens, when it names one at an address
    (``openai:MODEL@URL``, ``ollama:``); None for local backends and for services
    named without an address."""
    name, _, arg = spec.partition(":")
    if name == "openai":
        return arg.partition("@")[2].strip() or None
    if name == "ollama":
        return OLLAMA_URL
    return None


def probe_server(spec: str, timeout: float = 5.0) -> None:
    """Raise :class:`SpecError` when the server a spec names does not answer at all (any
    HTTP answer, an error status included, means it is there): a run against a dead
    server would otherwise log a failure per problem and end as if it had succeeded."""
    import urllib.error
    import urllib.request

    url = server_url(spec)
    if url is None:
        return
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/models", timeout=timeout):
            pass
    except urllib.error.HTTPError:
        return
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SpecError(f"{spec!r}: no model server answers at {url} ({reason})") from None


def load_model(spec: str, **options: Any) -> ModelBackend:
    """The backend a spec names. ``options`` go to the backend: ``api_key_env``, ``base_url``,
    ``timeout`` (openai); ``device``, ``dtype`` (hf); ``store`` (replay); any chat model
    argument (openai, ollama, langchain). A preset name as ``<model>`` fills its defaults."""
    name, sep, arg = spec.partition(":")
    if not sep or name not in BACKENDS:
        known = ", ".join(b.syntax for b in BACKENDS.values())
        raise SpecError(f"unknown model spec {spec!r}; expected one of: {known}")
    return BACKENDS[name].factory(spec, arg.strip(), **options)
