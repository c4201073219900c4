"""A run's generation budget, shared by every model the run calls."""

from __future__ import annotations

import dataclasses
import threading

from optbench.models._types import SamplingParams
from optbench.models.errors import BudgetExceeded


class Budget:
    """At most ``max_calls`` generated samples and ``max_tokens`` tokens (input + output).

    Cache hits are free. Calls are reserved before they are made, so concurrent requests never
    overshoot ``max_calls``. Tokens are only known afterwards, so the token limit is checked
    before each call, and :meth:`cap` cuts a call's ``max_new_tokens`` to the tokens left
    after its prompt, shared among the replies it draws. With a backend that counts prompt
    tokens before the call (``prompt_tokens``: ``hf:``, ``fake:``) a technique never goes
    past its budget: a call whose prompt does not fit is refused (a prompt is never cut:
    that would change the task). With other backends the prompt of the last call may go
    past it. Concurrent calls in flight when the limit is reached may overshoot it too.
    """

    def __init__(self, max_calls: int | None = None, max_tokens: int | None = None) -> None:
        self.max_calls = max_calls
        self.max_tokens = max_tokens
        self.calls = 0
        self.input_tokens = 0
        self.output_tokens = 0
        self._lock = threading.Lock()

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @property
    def exhausted(self) -> bool:
        with self._lock:
            return self._why_not(1) is not None

    def reserve(self, calls: int) -> None:
        """Take ``calls`` calls from the budget, or raise :class:`BudgetExceeded`."""
        with self._lock:
            why = self._why_not(calls)
            if why is not None:
                raise BudgetExceeded(why)
            self.calls += calls

    def cap(
        self, params: SamplingParams, replies: int = 1, prompt_tokens: int = 0
    ) -> SamplingParams:
        """``params`` with ``max_new_tokens`` cut so that ``replies`` replies of that length,
        after prompts of ``prompt_tokens`` tokens (0 where the backend cannot count them),
        fit in the tokens left. Raises :class:`BudgetExceeded` when the prompts leave no
        token for a reply."""
        if self.max_tokens is None:
            return params
        with self._lock:
            spent = self.tokens
        left = self.max_tokens - spent - prompt_tokens
        if prompt_tokens and left < 1:
            raise BudgetExceeded(
                f"token budget spent: {spent} of {self.max_tokens} tokens used, and the next "
                f"prompt has {prompt_tokens}"
            )
        most = max(1, left // max(1, replies))
        if params.max_new_tokens <= most:
            return params
        return dataclasses.replace(params, max_new_tokens=most)

    def charge(self, input_tokens: int, output_tokens: int) -> None:
        with self._lock:
            self.input_tokens += input_tokens
            self.output_tokens += output_tokens

    def _why_not(self, calls: int) -> str | None:
        if self.max_calls is not None and self.calls + calls > self.max_calls:
            return f"call budget spent: {self.calls} of {self.max_calls} calls used, {calls} more asked"
        if self.max_tokens is not None and self.tokens >= self.max_tokens:
            return f"token budget spent: {self.tokens} of {self.max_tokens} tokens used"
        return None

    def __repr__(self) -> str:
        return (
            f"Budget(calls={self.calls}/{self.max_calls}, tokens={self.tokens}/{self.max_tokens})"
        )
