import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

PIECES = ["a", "b", "ab", "ba", "aba", "bab", "abab"]


def _calls(s, words):
    """Calls the slow version's recursion makes (its running time)."""
    calls = [1] * (len(s) + 1)
    for i in range(len(s) - 1, -1, -1):
        calls[i] = 1 + sum(calls[i + len(w)] for w in words if s.startswith(w, i))
    return calls[0]


def _text(rng, n):
    return "".join(rng.choice(PIECES[:4]) for _ in range(n))


def _large(rng, scale):
    # like the workload: up to 22 pieces, a dictionary drawn from the same pieces, never
    # costlier than the workload (the text is cut short until it is not)
    words = rng.sample(PIECES, rng.randint(1, len(PIECES)))
    s = _text(rng, scaled(scale, 22))
    limit = _calls(*workload())
    while _calls(s, words) > limit:
        s = s[:-1]
    return (s, words)


def strategy():
    return at_scale(
        st.tuples(
            st.text(alphabet="ab", max_size=6),
            st.lists(st.text(alphabet="ab", max_size=3), max_size=3),
        ),
        _large,
    )


WORKLOAD_CALLS = 200_000
"""The slow version's recursive calls on the workload (about 60 ms): the text is grown
piece by piece until it takes at least this many, so every seed costs about the same
(a text of a fixed number of pieces costs anywhere from 1x to 1,000x this, by seed)."""


def workload(seed=3):
    rng = random.Random(seed)
    s = ""
    while _calls(s, PIECES) < WORKLOAD_CALLS:
        s += rng.choice(PIECES[:4])
    return (s, list(PIECES))


EDGE_CASES = [
    ("", []),
    ("", ["a"]),
    ("a", []),
    ("aaaa", ["a", "aa"]),
    ("abab", ["ab", "a", "b"]),
    ("abc", ["a", "b"]),
    ("ab", ["a", ""]),
]
