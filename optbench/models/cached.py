"""The layer around every model call: cache, budget, concurrency, retries, failures."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from optbench.models._types import (
    BatchingBackend,
    Completion,
    Message,
    ModelBackend,
    SampleAwareBackend,
    SamplingParams,
    as_messages,
)
from optbench.models.budget import Budget
from optbench.models.cache import CachedGeneration, CallRecord, GenerationCache, MemoryCache
from optbench.models.errors import ModelError
from optbench.models.keys import cache_key, request_key
from optbench.models.retry import call_with_retries, is_transient


@dataclass
class _Job:
    """Samples of one request that one backend call draws."""

    request: int
    messages: list[Message]
    samples: list[int]


class CachedModel:
    """Wraps a backend so that every call is cached, recorded, budgeted and never crashes a run.

    Each sample ``i`` of a request has its own cache key, so ``n`` samples at temperature > 0
    stay ``n`` distinct entries and a rerun is served from the cache. A failure that survives
    the retries comes back as a :class:`Completion` with ``error`` set, and is recorded as
    such. Errors of ``optbench.models`` itself propagate: :class:`BudgetExceeded` (a technique
    stops cleanly), :class:`ScriptExhausted`, :class:`ReplayMiss`.

    A cache hit carries the usage and latency of the call that produced it, flagged
    ``cache_hit=True``; it does not consume the budget. So a candidate's cost is the cost of
    the call that produced its reply, whether this run made that call or found it cached.

    With a token budget, a request's ``max_new_tokens`` is cut to the tokens its prompt
    leaves (:meth:`Budget.cap`; the backend's ``prompt_tokens(messages)``, where it has one,
    counts the prompt) before its cache keys are computed, so the stored parameters are the
    ones the reply was drawn with.

    A backend call that draws several samples of one request at once (a local model's
    batch) sent one prompt and took one wall-clock time: its input tokens and latency are
    shared out among the samples, so that the samples' records add up to the call's cost
    instead of counting it once per sample. Output tokens are each sample's own. A backend
    that batches requests (:class:`BatchingBackend`, ``hf:``) gets every uncached request of
    one :meth:`batch` call in one backend call: one padded batch instead of one per request.

    A backend whose ``fingerprint`` attribute is set (``hf:`` checkpoints: a fingerprint of
    the weights it loaded) has it in its cache keys, so new weights behind the same spec
    miss the cache.
    """

    def __init__(
        self,
        backend: ModelBackend,
        cache: GenerationCache | None = None,
        budget: Budget | None = None,
        run_id: int | None = None,
        max_concurrency: int = 4,
        retries: int = 3,
        *,
        use_cache: bool = True,
        backoff_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be >= 1")
        self.backend = backend
        self.cache: GenerationCache = cache if cache is not None else MemoryCache()
        self.budget = budget
        self.run_id = run_id
        self.max_concurrency = max_concurrency
        self.retries = retries
        self.use_cache = use_cache
        """Default for ``generate``/``batch``: False reads no cached generation (``--no-cache``)."""
        self.backoff_s = backoff_s
        self._sleep = sleep
        fingerprint = getattr(backend, "fingerprint", None)
        self.weights = fingerprint if isinstance(fingerprint, str) else None
        """Fingerprint of the backend's weights, part of every cache key when known."""
        self.call_ids: list[int] = []
        """Ids of the call records this model made, in order (where the cache gives ids)."""
        self._ids_lock = threading.Lock()

    @property
    def spec(self) -> str:
        return self.backend.spec

    @property
    def default_params(self) -> SamplingParams:
        """The backend's recommended sampling (from its preset), else the defaults."""
        params = getattr(self.backend, "default_params", None)
        return params if isinstance(params, SamplingParams) else SamplingParams()

    def generate(
        self,
        messages: Sequence[Message | dict[str, str]],
        params: SamplingParams | None = None,
        n: int = 1,
        *,
        use_cache: bool | None = None,
        candidate_id: int | None = None,
    ) -> list[Completion]:
        """``n`` samples for one request; ``use_cache=False`` skips lookups but still records."""
        return self.batch([messages], params, n, use_cache=use_cache, candidate_id=candidate_id)[0]

    def batch(
        self,
        requests: Sequence[Sequence[Message | dict[str, str]]],
        params: SamplingParams | None = None,
        n: int = 1,
        *,
        use_cache: bool | None = None,
        candidate_id: int | None = None,
    ) -> list[list[Completion]]:
        """``n`` samples for each request, the backend calls run ``max_concurrency`` at a time."""
        if n < 1:
            raise ValueError("n must be >= 1")
        if use_cache is None:
            use_cache = self.use_cache
        params = params if params is not None else self.default_params
        convos = [as_messages(r) for r in requests]
        if self.budget is not None:
            # greedy samples are copies of one reply: one reply per request
            replies = len(convos) * (n if params.temperature > 0 else 1)
            counter = getattr(self.backend, "prompt_tokens", None)
            prompts = sum(counter(m) for m in convos) if callable(counter) else 0
            params = self.budget.cap(params, replies, prompts)
        results: list[list[Completion | None]] = [[None] * n for _ in convos]
        jobs: list[_Job] = []
        for r, msgs in enumerate(convos):
            missing = []
            for i in range(n):
                hit = self.cache.get(self._key(msgs, params, i)) if use_cache else None
                if hit is None:
                    missing.append(i)
                else:
                    results[r][i] = self._serve_hit(msgs, params, i, hit, candidate_id)
            if missing:
                jobs.extend(self._plan(r, msgs, missing))

        # a backend that batches requests gets them all in one call
        batched = isinstance(self.backend, BatchingBackend) and len(jobs) > 1
        groups = [jobs] if batched else [[job] for job in jobs]

        def run(group: list[_Job]) -> None:
            for job, made in zip(group, self._run_group(group, params, candidate_id), strict=True):
                for i, c in zip(job.samples, made, strict=True):
                    results[job.request][i] = c

        if len(groups) <= 1 or self.max_concurrency == 1:
            for group in groups:
                run(group)
        else:
            with ThreadPoolExecutor(min(self.max_concurrency, len(groups))) as pool:
                futures = [pool.submit(run, group) for group in groups]
            for future in futures:  # every job has finished and recorded; re-raise the first error
                future.result()
        return [[c for c in row if c is not None] for row in results]

    def _key(self, msgs: list[Message], params: SamplingParams, sample: int) -> str:
        return cache_key(self.spec, msgs, params, sample, self.weights)

    def _plan(self, request: int, msgs: list[Message], missing: list[int]) -> list[_Job]:
        if isinstance(self.backend, SampleAwareBackend):
            return [_Job(request, msgs, missing)]
        return [_Job(request, msgs, [i]) for i in missing]

    def _call_backend(self, group: list[_Job], params: SamplingParams) -> list[list[Completion]]:
        if len(group) > 1:
            assert isinstance(self.backend, BatchingBackend)
            outs = self.backend.generate_batch([(j.messages, j.samples) for j in group], params)
        elif isinstance(self.backend, SampleAwareBackend):
            outs = [self.backend.generate_samples(group[0].messages, params, group[0].samples)]
        else:
            (i,) = group[0].samples
            outs = [self.backend.generate(group[0].messages, params.for_sample(i), 1)]
        if len(outs) != len(group) or any(
            len(out) != len(job.samples) for out, job in zip(outs, group, strict=False)
        ):
            got: object = [len(out) for out in outs]
            want: object = [len(job.samples) for job in group]
            if len(group) == 1 and len(outs) == 1:
                got, want = len(outs[0]), len(group[0].samples)
            raise ValueError(f"{self.spec} returned {got} completions for {want} samples")
        return outs

    def _run_group(
        self, group: list[_Job], params: SamplingParams, candidate_id: int | None
    ) -> list[list[Completion]]:
        """One backend call for the jobs of ``group``: budgeted, retried, recorded."""
        if self.budget is not None:
            self.budget.reserve(sum(len(job.samples) for job in group))
        start = time.perf_counter()
        try:
            outs = call_with_retries(
                lambda: self._call_backend(group, params),
                retries=self.retries,
                backoff_s=self.backoff_s,
                sleep=self._sleep,
            )
        except ModelError:
            raise
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            if is_transient(exc):
                error += f" (gave up after {self.retries + 1} attempts)"
            latency = (time.perf_counter() - start) / len(group)
            outs = [
                [
                    Completion("", 0, 0, latency, cache_hit=False, model=self.spec, error=error)
                    for _ in job.samples
                ]
                for job in group
            ]
        recorded = []
        for job, out in zip(group, outs, strict=True):
            if len(out) > 1:
                out = share_call(out)
            made = []
            for i, c in zip(job.samples, out, strict=True):
                if self.budget is not None:
                    self.budget.charge(c.input_tokens, c.output_tokens)
                made.append(self._record(job.messages, params, i, c, candidate_id))
            recorded.append(made)
        return recorded

    def _serve_hit(
        self,
        msgs: list[Message],
        params: SamplingParams,
        sample: int,
        hit: CachedGeneration,
        candidate_id: int | None,
    ) -> Completion:
        c = Completion(
            text=hit.completion,
            input_tokens=hit.input_tokens,
            output_tokens=hit.output_tokens,
            latency_s=hit.latency_s,
            cache_hit=True,
            model=hit.model,
        )
        return self._record(msgs, params, sample, c, candidate_id)

    def _record(
        self,
        msgs: list[Message],
        params: SamplingParams,
        sample: int,
        c: Completion,
        candidate_id: int | None,
    ) -> Completion:
        call_id = self.cache.record(
            CallRecord(
                cache_key=self._key(msgs, params, sample),
                request_key=request_key(msgs, params, sample),
                model=self.spec,
                messages=[m.to_dict() for m in msgs],
                params=params.to_dict(),
                completion=c.text,
                input_tokens=c.input_tokens,
                output_tokens=c.output_tokens,
                latency_s=c.latency_s,
                cache_hit=c.cache_hit,
                error=c.error,
                run_id=self.run_id,
                candidate_id=candidate_id,
            )
        )
        if call_id is not None:
            with self._ids_lock:
                self.call_ids.append(call_id)
        return dataclasses.replace(c, call_id=call_id)


def share_call(out: Sequence[Completion]) -> list[Completion]:
    """The samples of one backend call, with the call's prompt tokens and wall-clock time
    shared out among them (whole tokens: the first samples take the remainder). Backends
    report each sample with the whole call's prompt and (up to its end) latency."""
    k = len(out)
    prompt = max(c.input_tokens for c in out)
    wall = max(c.latency_s for c in out)
    share, rest = divmod(prompt, k)
    return [
        dataclasses.replace(c, input_tokens=share + (1 if j < rest else 0), latency_s=wall / k)
        for j, c in enumerate(out)
    ]
