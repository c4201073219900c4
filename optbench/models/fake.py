"""A scripted model: a real backend used across the test suite.

``FakeModel(replies=[...])`` serves the replies in order and raises :class:`ScriptExhausted`
when they run out; an exception instance in the script is raised instead of replied (to test
retries and failures). ``FakeModel(reply_fn=f)`` computes each reply from the messages.
Tokens are counted by whitespace split; latency is measured like any other backend's.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from optbench.models._types import Completion, Message, SamplingParams, truncate_at_stop
from optbench.models.errors import ScriptExhausted, SpecError

TXT_SEPARATOR = "---"
"""In a ``.txt`` script, a line holding only this separates two replies."""

Reply = str | BaseException


def count_tokens(text: str) -> int:
    return len(text.split())


def _clip_tokens(text: str, max_tokens: int) -> str:
    for i, match in enumerate(re.finditer(r"\S+", text), start=1):
        if i == max_tokens:
            return text[: match.end()]
    return text


class FakeModel:
    """Scripted replies (``replies``) or computed ones (``reply_fn``), never both."""

    def __init__(
        self,
        replies: Sequence[Reply] | None = None,
        reply_fn: Callable[[list[Message]], str] | None = None,
        *,
        spec: str = "fake:scripted",
    ) -> None:
        if (replies is None) == (reply_fn is None):
            raise ValueError("FakeModel needs exactly one of replies=[...] or reply_fn=callable")
        self.spec = spec
        self._script: list[Reply] | None = list(replies) if replies is not None else None
        self._reply_fn = reply_fn
        self._next = 0
        self._lock = threading.Lock()
        self.calls = 0
        """How many times the backend was asked for completions (one call may draw several)."""
        self.requests: list[list[Message]] = []

    @property
    def remaining(self) -> int | None:
        """Replies left in the script; ``None`` for a ``reply_fn`` model."""
        return None if self._script is None else len(self._script) - self._next

    def generate(
        self, messages: list[Message], params: SamplingParams, n: int = 1
    ) -> list[Completion]:
        return self.generate_samples(messages, params, range(n))

    def prompt_tokens(self, messages: Sequence[Message]) -> int:
        """The input tokens a call with ``messages`` reports (before making it)."""
        return sum(count_tokens(m.content) for m in messages)

    def generate_samples(
        self, messages: list[Message], params: SamplingParams, samples: Sequence[int]
    ) -> list[Completion]:
        start = time.perf_counter()
        with self._lock:
            self.calls += 1
            self.requests.append(list(messages))
            replies = [self._take(messages) for _ in samples]
        input_tokens = self.prompt_tokens(messages)
        out = []
        for reply in replies:
            text = _clip_tokens(truncate_at_stop(reply, params.stop), params.max_new_tokens)
            out.append(
                Completion(
                    text=text,
                    input_tokens=input_tokens,
                    output_tokens=count_tokens(text),
                    latency_s=time.perf_counter() - start,
                    cache_hit=False,
                    model=self.spec,
                )
            )
        return out

    def _take(self, messages: list[Message]) -> str:
        if self._reply_fn is not None:
            return self._reply_fn(messages)
        assert self._script is not None
        if self._next >= len(self._script):
            raise ScriptExhausted(
                f"{self.spec}: the script's {len(self._script)} replies are used up; "
                "add replies or use reply_fn"
            )
        reply = self._script[self._next]
        self._next += 1
        if isinstance(reply, BaseException):
            raise reply
        return reply


def _echo(messages: list[Message]) -> str:
    return messages[-1].content if messages else ""


def fake_from_spec(spec: str) -> FakeModel:
    """``fake:`` echoes the last message; ``fake:[...]`` is a JSON list of replies;
    ``fake:<path>`` reads a JSON list or a ``.txt`` file of replies separated by ``---`` lines."""
    arg = spec.removeprefix("fake:").strip()
    if not arg:
        return FakeModel(reply_fn=_echo, spec=spec)
    if arg.startswith("["):
        return FakeModel(replies=_json_replies(arg, spec), spec=spec)
    path = Path(arg)
    if not path.is_file():
        raise SpecError(f"{spec!r}: no such file {str(path)!r} (expected a JSON list or a file)")
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return FakeModel(replies=_json_replies(text, str(path)), spec=spec)
    return FakeModel(replies=split_txt_script(text), spec=spec)


def split_txt_script(text: str) -> list[str]:
    replies: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        if line.rstrip("\r\n") == TXT_SEPARATOR:
            replies.append([])
        else:
            replies[-1].append(line)
    return ["".join(r).strip("\n") for r in replies]


def _json_replies(text: str, where: str) -> list[Reply]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"{where}: fake replies are not valid JSON: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(r, str) for r in data):
        raise SpecError(f"{where}: fake replies must be a JSON list of strings")
    return list(data)
