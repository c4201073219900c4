import pytest

from optbench.models import extract_code, extract_reasoning

CASES = [
    pytest.param(
        "Here you go:\n```python\ndef f(x):\n    return x * 2\n```\nThis is faster.",
        None,
        "def f(x):\n    return x * 2",
        id="python-fence",
    ),
    pytest.param("```\nx = sum(range(10))\n```", None, "x = sum(range(10))", id="untagged-fence"),
    pytest.param("```py\nimport math\n```", None, "import math", id="py-tag"),
    pytest.param(
        "```bash\npip install numpy\n```\n```python\nimport numpy as np\n```",
        None,
        "import numpy as np",
        id="prefer-python-over-bash",
    ),
    pytest.param(
        "Original:\n```python\ndef g(): pass\n```\nHelper:\n```python\ndef helper(): return 1\n```",
        None,
        "def helper(): return 1",
        id="last-python-block",
    ),
    pytest.param(
        "```python\ndef solve(a):\n    return sorted(a)\n```\nUsage:\n```python\nprint(solve([2, 1]))\n```",
        "solve",
        "def solve(a):\n    return sorted(a)",
        id="block-defining-entry-point",
    ),
    pytest.param(
        "Slow:\n```python\ndef solve(a): return a\n```\nFast:\n```python\ndef solve(a):\n    return a[:]\n```",
        "solve",
        "def solve(a):\n    return a[:]",
        id="last-of-several-defining-entry-point",
    ),
    pytest.param(
        "Explanation first.\n```python\ndef f(n):\n    return n * (n + 1) // 2\n",
        None,
        "def f(n):\n    return n * (n + 1) // 2",
        id="unterminated-final-fence",
    ),
    pytest.param(
        "def f(xs):\n    return set(xs)\n", None, "def f(xs):\n    return set(xs)", id="bare-code"
    ),
    pytest.param(
        "I could not find any faster approach; the original is optimal.", None, None, id="prose"
    ),
    pytest.param("Done", None, None, id="single-word-is-not-code"),
    pytest.param(
        "```text\nsome output\n```\n```cpp\nint main() { return 0; }\n```",
        None,
        "int main() { return 0; }",
        id="no-python-longest-block",
    ),
    pytest.param(
        "1. Use a set:\n\n   ```python\n   def f(a):\n       return len(set(a))\n   ```\n",
        None,
        "def f(a):\n    return len(set(a))",
        id="indented-fence-in-list",
    ),
    pytest.param(
        "~~~python\nx = [i * i for i in range(5)]\n~~~",
        None,
        "x = [i * i for i in range(5)]",
        id="tilde-fence",
    ),
    pytest.param(
        "We cache results.\n\nfrom functools import lru_cache\n\n@lru_cache\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",
        "fib",
        "from functools import lru_cache\n\n@lru_cache\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)",
        id="prose-then-unfenced-code",
    ),
    pytest.param(
        '```python\nimport sys\n\nif __name__ == "__main__":\n    print(sys.stdin.read())\n```',
        None,
        'import sys\n\nif __name__ == "__main__":\n    print(sys.stdin.read())',
        id="main-guard-kept",
    ),
    pytest.param(
        "```python\ndef f(): return 1```", "f", "def f(): return 1", id="fence-glued-to-code"
    ),
    pytest.param(
        "````python\n```\nnot a fence end\n```\nx = 1\n````",
        None,
        "```\nnot a fence end\n```\nx = 1",
        id="longer-outer-fence",
    ),
    pytest.param("", None, None, id="empty"),
]


@pytest.mark.parametrize(("reply", "entry_point", "expected"), CASES)
def test_extract_code(reply, entry_point, expected):
    assert extract_code(reply, entry_point) == expected


def test_reasoning_is_text_outside_chosen_block():
    reply = "First I noticed a quadratic loop.\n```python\ndef f(): pass\n```\nNow it is linear."
    assert extract_reasoning(reply) == "First I noticed a quadratic loop.\n\nNow it is linear."


def test_reasoning_without_code_is_whole_reply():
    assert extract_reasoning("  nothing to do here \n") == "nothing to do here"


def test_reasoning_of_bare_code_is_empty():
    assert extract_reasoning("x = 1\n") == ""
