import contextlib
import threading

import pytest

from optbench.models import (
    Budget,
    BudgetExceeded,
    CachedModel,
    Completion,
    FakeModel,
    MemoryCache,
    Message,
    SamplingParams,
    ScriptExhausted,
    cache_key,
    request_key,
)

USER = [Message("system", "You optimize Python."), Message("user", "def f(): return 1")]
HOT = SamplingParams(temperature=0.8, seed=7)


def counting_model(prefix="reply"):
    counter = iter(range(10**6))
    return FakeModel(reply_fn=lambda msgs: f"{prefix} {next(counter)}")


def wrap(backend, **kwargs):
    kwargs.setdefault("sleep", lambda s: None)
    return CachedModel(backend, MemoryCache(), **kwargs)


def test_second_identical_call_is_a_hit():
    backend = counting_model()
    model = wrap(backend)
    first = model.generate(USER, SamplingParams())
    second = model.generate(USER, SamplingParams())
    assert backend.calls == 1
    assert first[0].text == second[0].text == "reply 0"
    assert not first[0].cache_hit and second[0].cache_hit
    assert second[0].output_tokens == first[0].output_tokens
    records = model.cache.records
    assert [r.cache_hit for r in records] == [False, True]
    assert records[0].input_tokens == 7 and records[0].output_tokens == 2


def test_n_samples_are_distinct_entries_and_rerun_is_free():
    backend = counting_model()
    model = wrap(backend)
    texts = [c.text for c in model.generate(USER, HOT, n=3)]
    assert texts == ["reply 0", "reply 1", "reply 2"]
    assert len(model.cache) == 3
    keys = {r.cache_key for r in model.cache.records}
    assert keys == {cache_key(backend.spec, USER, HOT, i) for i in range(3)}
    again = model.generate(USER, HOT, n=3)
    assert [c.text for c in again] == texts
    assert all(c.cache_hit for c in again)
    assert backend.calls == 1


def test_more_samples_draws_only_the_missing_ones():
    backend = counting_model()
    model = wrap(backend)
    model.generate(USER, HOT, n=2)
    out = model.generate(USER, HOT, n=4)
    assert [c.cache_hit for c in out] == [True, True, False, False]
    assert [c.text for c in out] == ["reply 0", "reply 1", "reply 2", "reply 3"]


@pytest.mark.parametrize(
    "other",
    [
        SamplingParams(temperature=0.9, seed=7),
        SamplingParams(temperature=0.8, top_p=0.9, seed=7),
        SamplingParams(temperature=0.8, seed=8),
        SamplingParams(temperature=0.8, seed=7, stop=("\n\n",)),
        SamplingParams(temperature=0.8, seed=7, max_new_tokens=64),
    ],
)
def test_different_sampling_param_misses(other):
    backend = counting_model()
    model = wrap(backend)
    model.generate(USER, HOT)
    assert not model.generate(USER, other)[0].cache_hit
    assert backend.calls == 2


def test_different_model_or_messages_miss():
    cache = MemoryCache()
    CachedModel(FakeModel(replies=["a"], spec="fake:a"), cache).generate(USER, HOT)
    assert (
        not CachedModel(FakeModel(replies=["b"], spec="fake:b"), cache)
        .generate(USER, HOT)[0]
        .cache_hit
    )
    other = [*USER[:-1], Message("user", "def g(): return 2")]
    assert (
        not CachedModel(FakeModel(replies=["c"], spec="fake:a"), cache)
        .generate(other, HOT)[0]
        .cache_hit
    )


def test_use_cache_false_bypasses_reads_but_records():
    backend = counting_model()
    model = wrap(backend)
    model.generate(USER, SamplingParams())
    fresh = model.generate(USER, SamplingParams(), use_cache=False)
    assert not fresh[0].cache_hit and fresh[0].text == "reply 1"
    assert backend.calls == 2
    assert len(model.cache.records) == 2
    assert model.generate(USER, SamplingParams())[0].text == "reply 1"


def test_request_key_ignores_model():
    assert request_key(USER, HOT, 0) != request_key(USER, HOT, 1)
    assert cache_key("fake:a", USER, HOT, 0) != cache_key("fake:b", USER, HOT, 0)
    recorded = wrap(counting_model()).cache
    model = CachedModel(counting_model(), recorded)
    model.generate(USER, HOT)
    assert recorded.records[0].request_key == request_key(USER, HOT, 0)


def test_dict_messages_and_run_id_recorded():
    model = CachedModel(counting_model(), MemoryCache(), run_id=42)
    model.generate([{"role": "user", "content": "hi"}], candidate_id=3)
    (rec,) = model.cache.records
    assert rec.run_id == 42 and rec.candidate_id == 3
    assert rec.messages == [{"role": "user", "content": "hi"}]
    assert rec.params["temperature"] == 0.0


def test_budget_stops_at_call_limit_and_hits_are_free():
    budget = Budget(max_calls=3)
    backend = counting_model()
    model = wrap(backend, budget=budget)
    model.generate(USER, HOT, n=2)
    model.generate(USER, HOT, n=2)  # all hits
    assert budget.calls == 2
    model.generate([Message("user", "other")], HOT)
    assert budget.calls == 3 and budget.exhausted
    with pytest.raises(BudgetExceeded, match="3 of 3 calls"):
        model.generate([Message("user", "a third prompt")], HOT)
    assert backend.calls == 2
    assert model.generate(USER, HOT, n=2)[0].cache_hit


def test_budget_stops_at_token_limit():
    budget = Budget(max_tokens=18)
    model = wrap(counting_model(), budget=budget)
    model.generate(USER, HOT)  # 7 in + 2 out
    model.generate(USER, SamplingParams())  # 9 more
    assert budget.tokens == 18
    with pytest.raises(BudgetExceeded, match="token budget"):
        model.generate(USER, SamplingParams(temperature=0.5))


def test_token_budget_cuts_replies_to_the_tokens_left():
    """A technique never goes past its token budget: each call's max_new_tokens is cut to
    the tokens its prompt leaves, shared among the replies it draws (greedy copies count
    once), and a call whose prompt does not fit is refused."""
    budget = Budget(max_tokens=40)
    model = wrap(FakeModel(reply_fn=lambda msgs: "word " * 40), budget=budget)
    (first,) = model.generate(USER, SamplingParams(max_new_tokens=16))
    assert (first.input_tokens, first.output_tokens) == (7, 16)
    sampled = model.generate(USER, SamplingParams(temperature=0.5, max_new_tokens=16), n=2)
    assert [c.output_tokens for c in sampled] == [5, 5]  # 40 - 23 - 7 left: 5 each
    assert model.cache.records[-1].params["max_new_tokens"] == 5
    assert budget.tokens == 40
    with pytest.raises(BudgetExceeded, match="token budget"):
        model.generate(USER, SamplingParams(max_new_tokens=16))
    tight = Budget(max_tokens=30)
    model = wrap(FakeModel(reply_fn=lambda msgs: "word " * 40), budget=tight)
    model.generate(USER, SamplingParams(max_new_tokens=16))
    with pytest.raises(BudgetExceeded, match="the next prompt has 7"):
        model.generate(USER, SamplingParams(temperature=0.5, max_new_tokens=16))
    assert tight.tokens == 23
    roomy = Budget(max_tokens=1000)
    greedy = wrap(FakeModel(reply_fn=lambda msgs: "word " * 40), budget=roomy)
    replies = greedy.generate(USER, SamplingParams(max_new_tokens=16), n=4)
    assert replies[0].output_tokens == 16  # uncut: 4 greedy copies are one reply


def test_budget_shared_by_models():
    budget = Budget(max_calls=2)
    a = wrap(counting_model("a"), budget=budget)
    b = wrap(counting_model("b"), budget=budget)
    a.generate(USER, HOT)
    b.generate(USER, HOT)
    with pytest.raises(BudgetExceeded):
        a.generate(USER, SamplingParams())


class Flaky:
    """Fails ``failures`` times with ``exc`` before answering; counts attempts."""

    def __init__(self, exc, failures):
        self.spec = "flaky:test"
        self.exc = exc
        self.failures = failures
        self.attempts = 0

    def generate(self, messages, params, n=1):
        self.attempts += 1
        if self.attempts <= self.failures:
            raise self.exc
        return [Completion("fine", 1, 1, 0.0, False, self.spec) for _ in range(n)]


class HTTPError(Exception):
    def __init__(self, status_code):
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code


def test_transient_errors_are_retried_with_exponential_backoff():
    waits = []
    backend = Flaky(ConnectionError("refused"), failures=2)
    model = CachedModel(backend, MemoryCache(), retries=3, backoff_s=0.5, sleep=waits.append)
    (c,) = model.generate(USER)
    assert c.ok and c.text == "fine"
    assert backend.attempts == 3
    assert waits == [0.5, 1.0]


@pytest.mark.parametrize("exc", [HTTPError(429), HTTPError(503), TimeoutError("slow")])
def test_rate_limit_and_server_errors_are_transient(exc):
    backend = Flaky(exc, failures=1)
    assert wrap(backend).generate(USER)[0].ok
    assert backend.attempts == 2


def test_always_failing_backend_gives_error_completions():
    backend = Flaky(ConnectionError("connection refused"), failures=10**6)
    budget = Budget(max_calls=10)
    model = wrap(backend, retries=2, budget=budget)
    out = model.generate(USER, HOT, n=3)
    assert len(out) == 3
    assert all(not c.ok and c.text == "" for c in out)
    assert "ConnectionError: connection refused" in out[0].error
    assert "3 attempts" in out[0].error
    assert backend.attempts == 9
    assert [r.error is not None for r in model.cache.records] == [True] * 3
    assert len(model.cache) == 0  # failures are not served as hits
    assert budget.calls == 3


def test_garbage_is_not_retried_and_never_crashes():
    backend = Flaky(ValueError("Expecting value: line 1 column 1"), failures=10**6)
    (c,) = wrap(backend).generate(USER)
    assert c.error.startswith("ValueError")
    assert backend.attempts == 1
    assert (
        wrap(Flaky(HTTPError(400), failures=10**6)).generate(USER)[0].error == "HTTPError: HTTP 400"
    )


def test_wrong_number_of_completions_is_an_error():
    class Short(Flaky):
        def generate(self, messages, params, n=1):
            return []

    (c,) = wrap(Short(None, 0)).generate(USER)
    assert "returned 0 completions" in c.error


def test_script_exhaustion_propagates():
    model = wrap(FakeModel(replies=["a"]))
    with pytest.raises(ScriptExhausted):
        model.generate(USER, HOT, n=2)


class Slow:
    """Per-sample backend that records how many calls run at once."""

    def __init__(self):
        self.spec = "slow:test"
        self.active = 0
        self.peak = 0
        self.lock = threading.Lock()
        self.release = threading.Barrier(2, timeout=5)
        self.seeds = []

    def generate(self, messages, params, n=1):
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
            self.seeds.append(params.seed)
        with contextlib.suppress(threading.BrokenBarrierError):
            self.release.wait()
        with self.lock:
            self.active -= 1
        return [Completion(f"seed {params.seed}", 1, 1, 0.0, False, self.spec)]


def test_samples_of_plain_backends_run_concurrently_with_distinct_seeds():
    backend = Slow()
    model = wrap(backend, max_concurrency=2)
    out = model.generate(USER, SamplingParams(temperature=1.0, seed=100), n=4)
    assert backend.peak == 2
    assert sorted(backend.seeds) == [100, 101, 102, 103]
    assert [c.text for c in out] == ["seed 100", "seed 101", "seed 102", "seed 103"]


def test_batch_of_requests():
    model = wrap(FakeModel(reply_fn=lambda msgs: msgs[-1].content[::-1]))
    out = model.batch([[Message("user", "abc")], [Message("user", "xyz")]], HOT, n=2)
    assert [[c.text for c in row] for row in out] == [["cba", "cba"], ["zyx", "zyx"]]
    assert len(model.cache) == 4


def test_default_params_come_from_backend_preset():
    class WithPreset(Flaky):
        default_params = SamplingParams(temperature=0.2, top_p=0.95)

    model = wrap(WithPreset(None, 0))
    model.generate(USER)
    assert model.cache.records[0].params["top_p"] == 0.95


class PaddedBatch:
    """A backend that decodes several requests in one call, as a local model's padded batch
    does: each request reported with its whole prompt and its share of the call's time."""

    def __init__(self):
        self.spec = "padded:test"
        self.calls: list[list[int]] = []

    def generate(self, messages, params, n=1):
        return self.generate_samples(messages, params, range(n))

    def generate_samples(self, messages, params, samples):
        return self.generate_batch([(messages, samples)], params)[0]

    def generate_batch(self, requests, params):
        self.calls.append([len(samples) for _, samples in requests])
        rows = sum(len(samples) for _, samples in requests)
        return [
            [
                Completion(f"{m[-1].content}#{i}", 10, 3, 8.0 * len(s) / rows, False, self.spec)
                for i in s
            ]
            for m, s in requests
        ]


def test_uncached_requests_of_a_batch_go_to_a_batching_backend_in_one_call():
    backend = PaddedBatch()
    model = wrap(backend)
    first = [Message("user", "a")]
    model.generate(first, HOT, n=2)  # cached: not asked again
    out = model.batch([first, [Message("user", "b")], [Message("user", "c")]], HOT, n=2)
    assert backend.calls == [[2], [2, 2]]
    assert [[c.text for c in row] for row in out] == [
        ["a#0", "a#1"],
        ["b#0", "b#1"],
        ["c#0", "c#1"],
    ]
    assert [c.cache_hit for row in out for c in row] == [True, True, False, False, False, False]
    fresh = [c for row in out[1:] for c in row]
    assert sum(c.latency_s for c in fresh) == pytest.approx(8.0)  # one call's time, shared out
    assert [c.input_tokens for c in fresh] == [5, 5, 5, 5]  # each prompt counted once
