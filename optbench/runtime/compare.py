"""Comparing two outcomes under a problem's comparison policy (trusted side only)."""

from __future__ import annotations

import copy
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from optbench.core.problem import CheckFunction, CompareMode, ComparePolicy, ProblemKind
from optbench.runtime.outcome import Outcome

SHOW_LIMIT = 300


@dataclass
class Mismatch:
    kind: str
    """value | exception | mutation | stdout | exit_status | error (the problem's checker
    failed: a fault of the dataset or of the check, not a verdict on the candidate's
    answer)"""
    expected: str
    actual: str


def values_equal(a: Any, b: Any, policy: ComparePolicy, top: bool = True) -> bool:
    if (
        policy.mode == "unordered"
        and top
        and isinstance(a, list | tuple)
        and isinstance(b, list | tuple)
    ):
        if type(a) is not type(b) or len(a) != len(b):
            return False
        try:
            return Counter(map(_freeze, a)) == Counter(map(_freeze, b))
        except TypeError:
            return sorted(map(repr, a)) == sorted(map(repr, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if policy.mode == "float":
            return math.isclose(a, b, rel_tol=policy.rel_tol, abs_tol=policy.abs_tol)
        return a == b
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(
            values_equal(x, y, policy, False) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return False
        return all(values_equal(a[k], b[k], policy, False) for k in a)
    if isinstance(a, complex) and policy.mode == "float":
        return values_equal(a.real, b.real, policy, False) and values_equal(
            a.imag, b.imag, policy, False
        )
    return bool(a == b)


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return ("__list__", tuple(_freeze(v) for v in value))
    if isinstance(value, dict):
        return ("__dict__", tuple(sorted((repr(k), _freeze(v)) for k, v in value.items())))
    if isinstance(value, set):
        return ("__set__", frozenset(_freeze(v) for v in value))
    return value


def normalise_stdout(text: str) -> list[str]:
    return text.split()


def compare_outcomes(
    expected: Outcome,
    actual: Outcome,
    policy: ComparePolicy,
    kind: ProblemKind,
    *,
    given: Any = None,
    checker: CheckFunction | None = None,
) -> Mismatch | None:
    """``None`` when ``actual`` matches ``expected``; otherwise what differs.

    With ``policy.checker`` the caller passes the input (``given``: the argument tuple or
    the stdin text) and the problem's checker function, which judges the candidate's
    answer in place of equality. A checker that raises or answers something other than a
    bool gives a mismatch of kind ``error`` naming it."""
    if policy.checker is not None and checker is None:
        raise ValueError(f"the compare policy names checker {policy.checker!r}; pass it")
    if kind is ProblemKind.PROGRAM:
        return _compare_program(expected, actual, policy, given, checker)
    if expected.status == "raised" or actual.status == "raised":
        if expected.status != actual.status or expected.exc_type != actual.exc_type:
            return Mismatch("exception", _describe(expected), _describe(actual))
        return None
    if checker is not None and policy.checker is not None:
        found = _checked(checker, policy.checker, given, expected.value, actual.value)
        if found is not None:
            return found
    elif not values_equal(expected.value, actual.value, policy):
        return Mismatch("value", show(expected.value), show(actual.value))
    if policy.mutation and not values_equal(
        expected.args_after, actual.args_after, _exact_like(policy)
    ):
        return Mismatch(
            "mutation",
            "arguments after the call: " + show(expected.args_after),
            "arguments after the call: " + show(actual.args_after),
        )
    return None


def _checked(
    checker: CheckFunction, name: str, given: Any, expected: Any, actual: Any
) -> Mismatch | None:
    """The checker's judgement of ``actual``. It gets copies, so a checker that changes
    its arguments cannot change what later comparisons see.

    A checker that raises on the answer is asked about the original's own answer too: if
    it accepts that one, the fault is the answer's (a wrong shape or type the checker
    cannot read), so it is a plain mismatch; only a checker that also fails on the
    original's answer is an ``error`` of the dataset."""
    try:
        verdict = checker(copy.deepcopy(given), copy.deepcopy(expected), copy.deepcopy(actual))
    except Exception as exc:
        raised = f"the problem's checker {name}() raised {type(exc).__name__}: {exc}"
        if _accepts_original(checker, given, expected):
            return Mismatch(
                "value",
                show(expected),
                show(actual, 100) + f" ({name}() cannot read it: {raised})"[:SHOW_LIMIT],
            )
        return Mismatch(
            "error", show(expected), raised[:SHOW_LIMIT] + f" on the answer {show(actual, 100)}"
        )
    if not isinstance(verdict, bool):
        return Mismatch(
            "error",
            show(expected),
            f"the problem's checker {name}() returned {show(verdict, 60)}, not True or False",
        )
    if not verdict:
        return Mismatch("value", show(expected), show(actual) + f" (rejected by {name}())")
    return None


def _accepts_original(checker: CheckFunction, given: Any, expected: Any) -> bool:
    try:
        return (
            checker(copy.deepcopy(given), copy.deepcopy(expected), copy.deepcopy(expected)) is True
        )
    except Exception:
        return False


def _exact_like(policy: ComparePolicy) -> ComparePolicy:
    mode: CompareMode = "float" if policy.mode == "float" else "exact"
    return ComparePolicy(mode=mode, rel_tol=policy.rel_tol, abs_tol=policy.abs_tol)


def _compare_program(
    expected: Outcome,
    actual: Outcome,
    policy: ComparePolicy,
    given: Any,
    checker: CheckFunction | None,
) -> Mismatch | None:
    if checker is not None and policy.checker is not None:
        found = _checked(checker, policy.checker, given, expected.stdout, actual.stdout)
        if found is not None:
            return (
                Mismatch("stdout", found.expected, found.actual) if found.kind == "value" else found
            )
        same = True
    elif policy.mode == "exact":
        same = expected.stdout == actual.stdout
    elif policy.mode == "float":
        same = float_tokens_equal(expected.stdout, actual.stdout, policy)
    else:
        same = normalise_stdout(expected.stdout) == normalise_stdout(actual.stdout)
    if not same:
        return Mismatch("stdout", show(expected.stdout), show(actual.stdout))
    if expected.exit_code != actual.exit_code:
        return Mismatch("exit_status", _describe(expected), _describe(actual))
    return None


def float_tokens_equal(a: str, b: str, policy: ComparePolicy) -> bool:
    """The same tokens, numbers within the policy's ``rel_tol``/``abs_tol``."""
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb):
        return False
    for x, y in zip(ta, tb, strict=True):
        if x == y:
            continue
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            return False
        if not math.isclose(fx, fy, rel_tol=policy.rel_tol, abs_tol=policy.abs_tol):
            return False
    return True


def _describe(outcome: Outcome) -> str:
    if outcome.status == "raised":
        return f"raises {outcome.exc_type}: {outcome.exc_message}"[:SHOW_LIMIT]
    if outcome.status == "exit":
        return f"exit status {outcome.exit_code}, stdout {show(outcome.stdout)}"
    return f"returns {show(outcome.value)}"


def show(value: Any, limit: int = SHOW_LIMIT) -> str:
    """A short printable form; never raises (huge ints refuse ``repr`` since Python 3.11)."""
    try:
        text = value if isinstance(value, str) and "\n" in value else repr(value)
    except ValueError:
        text = _show_huge(value)
    return text if len(text) <= limit else text[: limit - 20] + f"... [{len(text)} chars]"


def _show_huge(value: Any) -> str:
    if isinstance(value, int):
        return f"<int with {value.bit_length()} bits>"
    if isinstance(value, list | tuple):
        inner = ", ".join(_show_item(v) for v in value[:20])
        more = ", ..." if len(value) > 20 else ""
        return f"[{inner}{more}]" if isinstance(value, list) else f"({inner}{more})"
    return f"<{type(value).__name__} that cannot be shown>"


def _show_item(value: Any) -> str:
    try:
        return repr(value)
    except ValueError:
        return _show_huge(value)
