"""ChatOpenAI through CachedModel against tiny loopback HTTP servers that misbehave."""

import importlib.util
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from optbench.models import CachedModel, MemoryCache, Message, SamplingParams, load_model

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("langchain_openai") is None,
    reason="needs the models extra: pip install 'optbench[models]'",
)

USER = [Message("user", "hello")]
OK_BODY = {
    "id": "x",
    "object": "chat.completion",
    "created": 0,
    "model": "m",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "x = 1"}}
    ],
    "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8},
}


def serve(responses):
    """Answer POSTs with ``responses`` in order (status, content type, body); the last repeats."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            status, ctype, body = responses[min(len(seen), len(responses)) - 1]
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


@pytest.fixture
def http():
    servers = []

    def start(*responses):
        server, seen = serve(list(responses))
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/v1", seen

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


def cached(url):
    backend = load_model(f"openai:m@{url}", timeout=5)
    return CachedModel(backend, MemoryCache(), retries=2, sleep=lambda s: None)


def test_request_carries_sampling_params_and_usage_comes_back(http):
    url, seen = http((200, "application/json", json.dumps(OK_BODY)))
    params = SamplingParams(temperature=0.4, top_p=0.9, max_new_tokens=33, stop=("\n\n",), seed=2)
    (c,) = cached(url).generate(USER, params)
    assert (c.text, c.input_tokens, c.output_tokens, c.error) == ("x = 1", 5, 3, None)
    body = seen[0]
    assert body["messages"] == [{"role": "user", "content": "hello"}]
    assert (body["temperature"], body["top_p"], body["max_completion_tokens"]) == (0.4, 0.9, 33)
    assert (body["stop"], body["seed"]) == (["\n\n"], 2)


def test_503_then_success_is_retried(http):
    url, seen = http(
        (503, "application/json", '{"error": {"message": "overloaded"}}'),
        (200, "application/json", json.dumps(OK_BODY)),
    )
    (c,) = cached(url).generate(USER)
    assert c.ok and len(seen) == 2


def test_garbage_reply_becomes_error_completion(http):
    url, seen = http((200, "application/json", '{"choices": "nonsense"}'))
    model = cached(url)
    (c,) = model.generate(USER)
    assert not c.ok and c.text == ""
    assert len(seen) == 1
    assert model.cache.records[0].error == c.error


def test_persistent_500_gives_error_after_retries(http):
    url, seen = http((500, "application/json", '{"error": {"message": "boom"}}'))
    out = cached(url).generate(USER, SamplingParams(temperature=0.7), n=2)
    assert all("Error code: 500" in c.error and "3 attempts" in c.error for c in out)
    assert len(seen) == 6
