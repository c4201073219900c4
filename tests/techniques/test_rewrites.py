"""Each rewrite rule on small snippets: behaviour compared by running both versions, and
unsafe sites left alone."""

from __future__ import annotations

import contextlib
import io
import re
import textwrap
from typing import Any

import pytest

from optimizers.rules.rewrites import RULES, apply_rules


def rewrite(source: str, rule: str, kind: str = "function") -> str | None:
    result = apply_rules(textwrap.dedent(source), kind, rules=[rule])
    assert not result.failed
    return result.code if result.changed else None


def call(source: str, name: str, *args: Any) -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(source, "<snippet>", "exec"), namespace)
    try:
        return ("ok", namespace[name](*args))
    except Exception as exc:
        return ("raised", type(exc).__name__)


def run_program(source: str, stdin: str) -> tuple[str, str | None]:
    out = io.StringIO()
    saved = __import__("sys").stdin
    __import__("sys").stdin = io.StringIO(stdin)
    error = None
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(source, "<program>", "exec"), {"__name__": "__main__"})
    except (Exception, SystemExit) as exc:
        error = type(exc).__name__
    finally:
        __import__("sys").stdin = saved
    return out.getvalue(), error


def same_function(before: str, rule: str, name: str, inputs: list[tuple[Any, ...]]) -> str:
    before = textwrap.dedent(before)
    after = rewrite(before, rule)
    assert after is not None, f"{rule} did not apply"
    for args in inputs:
        assert call(before, name, *args) == call(after, name, *args), args
    return after


def test_at_least_twelve_rules():
    assert len(RULES) >= 12
    assert len({r.name for r in RULES}) == len(RULES)


def test_membership_set_on_a_literal():
    after = same_function(
        """
        def f(words):
            n = 0
            for w in words:
                key = str(w).lower()
                if key in ["a", "an", "the"]:
                    n += 1
            return n
        """,
        "membership_set",
        "f",
        [(["A", "b", "the", "The"],), ([],)],
    )
    assert "{'a', 'an', 'the'}" in after


def test_membership_set_on_a_local_list_only_tested():
    after = same_function(
        """
        def f(n):
            stops = [3, 5, 7]
            return [i for i in range(n) if i not in stops]
        """,
        "membership_set",
        "f",
        [(10,), (0,)],
    )
    assert "stops = {3, 5, 7}" in after


def test_membership_set_leaves_unknown_left_operands_alone():
    # x may be unhashable: `[1] in [1, 2]` is False but `[1] in {1, 2}` raises.
    assert rewrite("def f(x):\n    return x in [1, 2]\n", "membership_set") is None
    assert (
        rewrite(
            "def f(i):\n    xs = [1, 2]\n    xs.append(i)\n    return int(i) in xs\n",
            "membership_set",
        )
        is None
    )


def test_str_concat_join():
    after = same_function(
        """
        def f(items):
            s = ""
            for x in items:
                if x % 2:
                    s += str(x) + ","
            return s
        """,
        "str_concat_join",
        "f",
        [([1, 2, 3],), ([],)],
    )
    assert "''.join(" in after and "s +=" not in after


def test_str_concat_join_unsafe_sites():
    # the partial string is read inside the loop
    assert (
        rewrite(
            'def f(xs):\n    s = ""\n    for x in xs:\n        s += str(x)\n        print(len(s))\n    return s\n',
            "str_concat_join",
        )
        is None
    )
    # the piece may not be a str
    assert (
        rewrite(
            'def f(xs):\n    s = ""\n    for x in xs:\n        s += x\n    return s\n',
            "str_concat_join",
        )
        is None
    )
    # inside try: the partial value is observable after an exception
    assert (
        rewrite(
            'def f(xs):\n    try:\n        s = ""\n        for x in xs:\n            s += str(1 / x)\n    except ZeroDivisionError:\n        return s\n    return s\n',
            "str_concat_join",
        )
        is None
    )


def test_range_len_iteration_direct_and_enumerate():
    direct = same_function(
        """
        def f(n):
            xs = list(range(n))
            total = 0
            for i in range(len(xs)):
                total += xs[i] * 2
            return total
        """,
        "range_len_iteration",
        "f",
        [(5,), (0,)],
    )
    assert "range(len(" not in direct and "enumerate" not in direct
    indexed = same_function(
        """
        def f(s):
            t = str(s)
            out = []
            for i in range(len(t)):
                out.append((i, t[i]))
            return out, i
        """,
        "range_len_iteration",
        "f",
        [("abc",), ("x",)],
    )
    assert "enumerate(t)" in indexed


def test_range_len_iteration_unsafe_sites():
    # parameter of unknown type (a dict would iterate its keys)
    assert (
        rewrite(
            "def f(xs):\n    t = 0\n    for i in range(len(xs)):\n        t += xs[i]\n    return t\n",
            "range_len_iteration",
        )
        is None
    )
    # the list is mutated in the loop
    assert (
        rewrite(
            "def f(n):\n    xs = list(range(n))\n    for i in range(len(xs)):\n        xs[i] = xs[i] + 1\n    return xs\n",
            "range_len_iteration",
        )
        is None
    )
    # the list escapes (an alias could change it)
    assert (
        rewrite(
            "def f(n, keep):\n    xs = list(range(n))\n    keep.append(xs)\n    t = 0\n    for i in range(len(xs)):\n        t += xs[i]\n    return t\n",
            "range_len_iteration",
        )
        is None
    )


def test_builtin_minmax():
    for op, func in ((">", "max"), ("<", "min")):
        after = same_function(
            f"""
            def f(xs):
                best = 0
                for v in xs:
                    if v {op} best:
                        best = v
                return best
            """,
            "builtin_minmax",
            "f",
            [([3, -1, 7, 7],), ([],), ([1.0, 1, True],), (["a"],)],
        )
        assert f"best = {func}((best, *xs))" in after


def test_builtin_minmax_unsafe_sites():
    # the loop variable is used after the loop
    assert (
        rewrite(
            "def f(xs):\n    best = 0\n    for v in xs:\n        if v > best:\n            best = v\n    return best, v\n",
            "builtin_minmax",
        )
        is None
    )
    # >= keeps the last of equal maxima, max() the first
    assert (
        rewrite(
            "def f(xs):\n    best = 0\n    for v in xs:\n        if v >= best:\n            best = v\n    return best\n",
            "builtin_minmax",
        )
        is None
    )


def test_builtin_any_all():
    anyf = same_function(
        """
        def f(xs):
            for x in xs:
                if 10 // x > 2:
                    return True
            return False
        """,
        "builtin_any_all",
        "f",
        [([1, 0],), ([5, 0],), ([],), ([20, 30],)],
    )
    assert "return any(" in anyf
    allf = same_function(
        """
        def f(xs):
            for x in xs:
                if not x > 0:
                    return False
            return True
        """,
        "builtin_any_all",
        "f",
        [([1, 2],), ([1, -1],), ([],)],
    )
    assert "return all(" in allf
    flag = same_function(
        """
        def f(xs, target):
            found = False
            for x in xs:
                if x == target:
                    found = True
                    break
            return found
        """,
        "builtin_any_all",
        "f",
        [([1, 2], 2), ([1, 2], 3), ([], 1)],
    )
    assert "found = any(" in flag


def test_builtin_any_all_unsafe_sites():
    # no break: every element is still evaluated (side effects, exceptions)
    assert (
        rewrite(
            "def f(xs):\n    found = False\n    for x in xs:\n        if 1 / x:\n            found = True\n    return found\n",
            "builtin_any_all",
        )
        is None
    )
    # a walrus in the condition leaks a binding
    assert (
        rewrite(
            "def f(xs):\n    for x in xs:\n        if (y := x) > 1:\n            return True\n    return False\n",
            "builtin_any_all",
        )
        is None
    )


def test_sorted_index_minmax_keeps_stability_and_errors():
    after = same_function(
        """
        def f(pairs):
            xs = list(pairs)
            return sorted(xs, key=lambda p: p[0])[0], sorted(xs, key=lambda p: p[0])[-1]
        """,
        "sorted_index_minmax",
        "f",
        [([(1, "a"), (0, "b"), (1, "c"), (0, "d")],), ([],)],
    )
    assert "sorted" not in after and "reversed" in after


def test_sorted_index_minmax_unsafe_sites():
    assert rewrite("def f(xs):\n    return sorted(xs)[0]\n", "sorted_index_minmax") is None
    assert (
        rewrite(
            "def f(n):\n    xs = list(range(n))\n    return sorted(xs, key=print)[0]\n",
            "sorted_index_minmax",
        )
        is None
    )


def test_memoize_recursion():
    after = same_function(
        """
        def ways(n):
            if n < 0:
                raise ValueError("negative")
            if n <= 1:
                return 1
            return ways(n - 1) + ways(n - 2)
        """,
        "memoize_recursion",
        "ways",
        [(0,), (1,), (15,), (-1,), (True,)],
    )
    assert "_memo_put(_ways_memo, _memo_key" in after


def test_memoize_recursion_nested_closure_and_depth():
    after = same_function(
        """
        def count(s, words):
            vocab = set(words)
            def go(i):
                if i == len(s):
                    return 1
                total = 0
                for j in range(i + 1, len(s) + 1):
                    if s[i:j] in vocab:
                        total += go(j)
                return total
            return go(0)
        """,
        "memoize_recursion",
        "count",
        [("aaaa", ["a", "aa"]), ("", ["a"]), ("ab", ["b"])],
    )
    assert "_go_memo" in after
    deep = "def f(n):\n    return 0 if n == 0 else 1 + f(n - 1) + 0 * f(0)\n"
    memo = rewrite(deep, "memoize_recursion")
    assert memo is not None
    assert call(deep, "f", 900) == call(memo, "f", 900)


def test_memoize_recursion_unsafe_sites():
    # reads a global that can change between calls
    assert (
        rewrite(
            "scale = []\ndef f(n):\n    return n if n < 2 else f(n - 1) + f(n - 2) + len(scale)\n"
            "def grow():\n    scale.append(1)\n",
            "memoize_recursion",
        )
        is None
    )
    # a parameter used as a container (may be unhashable)
    assert (
        rewrite(
            "def f(xs):\n    return 0 if not xs else f(xs[1:]) + f(xs[1:])\n", "memoize_recursion"
        )
        is None
    )
    # returns a mutable list callers may change
    assert (
        rewrite("def f(n):\n    return [] if n < 1 else f(n - 1) + f(n - 1)\n", "memoize_recursion")
        is None
    )
    # side effect
    assert (
        rewrite(
            "def f(n):\n    print(n)\n    return n if n < 2 else f(n - 1) + f(n - 2)\n",
            "memoize_recursion",
        )
        is None
    )


def test_deque_popleft():
    after = same_function(
        """
        def order(n):
            queue = [0]
            seen = []
            while queue:
                node = queue.pop(0)
                seen.append(node)
                for nxt in (2 * node + 1, 2 * node + 2):
                    if nxt < n:
                        queue.append(nxt)
            return seen
        """,
        "deque_popleft",
        "order",
        [(10,), (1,), (0,)],
    )
    assert "collections.deque([0])" in after and "popleft()" in after


def test_deque_popleft_unsafe_sites():
    # the queue itself is returned: a deque is not a list
    assert rewrite("def f(xs):\n    q = [1]\n    q.pop(0)\n    return q\n", "deque_popleft") is None
    # slicing is not supported by deque
    assert (
        rewrite("def f(xs):\n    q = [1, 2]\n    q.pop(0)\n    return q[1:]\n", "deque_popleft")
        is None
    )


def test_list_concat_append():
    after = same_function(
        """
        def f(n):
            out = []
            for i in range(n):
                out = out + [i * i]
            acc = []
            for i in range(n):
                acc += [i]
            return out + acc
        """,
        "list_concat_append",
        "f",
        [(4,), (0,)],
    )
    assert "out.append(i * i)" in after and "acc.append(i)" in after


def test_list_concat_append_unsafe_when_aliased():
    source = """
    def f(n):
        out = []
        snapshots = []
        for i in range(n):
            snapshots.append(out)
            out = out + [i]
        return snapshots
    """
    assert rewrite(source, "list_concat_append") is None


def test_drop_list_copy():
    after = same_function(
        """
        def f(n, xs):
            t = 0
            for i in list(range(n)):
                t += i
            return t, list(sorted(xs)), sorted(list(xs))
        """,
        "drop_list_copy",
        "f",
        [(5, [3, 1, 2]), (0, [])],
    )
    assert "list(" not in after


def test_drop_list_copy_keeps_snapshots():
    source = "def f(d):\n    for k in list(d):\n        del d[k]\n    return d\n"
    assert rewrite(source, "drop_list_copy") is None


def test_comprehension_builtin():
    after = same_function(
        """
        def f(xs):
            return set([x % 3 for x in xs]), dict([(x, x * x) for x in xs]), list([x for x in xs])
        """,
        "comprehension_builtin",
        "f",
        [([1, 2, 3, 1],), ([],)],
    )
    assert "set(" not in after and "dict(" not in after


def test_stdin_readline_keeps_newline_and_eof_semantics():
    program = "n = int(input())\nfor _ in range(n):\n    print(input()[::-1])\nprint(input())\n"
    after = rewrite(program, "stdin_readline", "program")
    assert after is not None and not re.search(r"\binput\(", after)
    for stdin in ("2\nab\ncd\nlast", "2\nab\ncd\nlast\n", "1\nab\n", "1\n\n\n"):
        assert run_program(program, stdin) == run_program(after, stdin), stdin
    assert rewrite(program, "stdin_readline", "function") is None


def test_stdin_readline_unsafe_sites():
    prompt = "x = input('name? ')\nprint(x)\n"
    assert rewrite(prompt, "stdin_readline", "program") is None
    rebound = "input = lambda: '1'\nprint(input())\n"
    assert rewrite(rebound, "stdin_readline", "program") is None


def test_print_buffer_keeps_output_on_errors_and_exit():
    program = (
        "import sys\nn = int(sys.stdin.readline())\nfor i in range(n):\n"
        "    print(i, i * i, sep=',', end=';')\n    print()\n    if i == 2:\n        sys.exit(3)\n"
        "print(*[], 1 / (n - 5))\n"
    )
    after = rewrite(program, "print_buffer", "program")
    assert after is not None
    for stdin in ("2\n", "5\n", "4\n"):
        assert run_program(program, stdin) == run_program(after, stdin), stdin
    program = (
        "n = int(input())\nfor i in range(n):\n"
        "    print(i, i * i, sep=',', end=';')\n    print()\n    if i == 2:\n        exit(3)\n"
        "print(*[], 1 / (n - 5))\n"
    )
    after = rewrite(program, "print_buffer", "program")
    assert after is not None and "_buffered_print" in after
    for stdin in ("2\n", "5\n", "4\n", "0\n"):
        assert run_program(program, stdin) == run_program(after, stdin), stdin


def test_print_buffer_unsafe_sites():
    stderr = "import sys\nfor i in range(3):\n    print(i, file=sys.stderr)\n"
    assert rewrite(stderr, "print_buffer", "program") is None
    mixed = "import sys\nfor i in range(3):\n    print(i)\n    sys.stdout.write('x')\n"
    assert rewrite(mixed, "print_buffer", "program") is None


def test_hoist_len_and_method():
    after = same_function(
        """
        def f(n):
            xs = list(range(n))
            out = []
            i = 0
            while i < len(xs):
                out.append(xs[i])
                i += 2
            return out
        """,
        "hoist_len",
        "f",
        [(7,), (0,)],
    )
    assert "xs_len = len(xs)" in after
    method = same_function(
        "def f(n):\n    out = []\n    for i in range(n):\n        out.append(i)\n    return out\n",
        "hoist_method",
        "f",
        [(3,), (0,)],
    )
    assert "out_append = out.append" in method


def test_hoist_unsafe_sites():
    # the list grows inside the loop
    assert (
        rewrite(
            "def f(n):\n    xs = [0]\n    while len(xs) < n:\n        xs.append(1)\n    return xs\n",
            "hoist_len",
        )
        is None
    )
    # the list is rebound inside the loop
    assert (
        rewrite(
            "def f(n):\n    out = []\n    for i in range(n):\n        out.append(i)\n        out = []\n    return out\n",
            "hoist_method",
        )
        is None
    )


@pytest.mark.parametrize("bad", ["def f(:\n", ""])
def test_unparsable_or_empty_source_is_left_alone(bad):
    assert not apply_rules(bad).changed
