import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.text(alphabet="ab", max_size=6),
        st.lists(st.text(alphabet="ab", max_size=3), max_size=3),
    )


def workload():
    rng = random.Random(3)
    pieces = ["a", "b", "ab", "ba", "aba", "bab", "abab"]
    s = "".join(rng.choice(pieces[:4]) for _ in range(22))
    return (s, pieces)


EDGE_CASES = [
    ("", []),
    ("", ["a"]),
    ("a", []),
    ("aaaa", ["a", "aa"]),
    ("abab", ["ab", "a", "b"]),
    ("abc", ["a", "b"]),
    ("ab", ["a", ""]),
]
