import random

from hypothesis import strategies as st


def strategy():
    text = st.text(alphabet="abcé日", max_size=10)
    return st.tuples(text, text)


def workload():
    rng = random.Random(11)
    a = "".join(rng.choice("acgt") for _ in range(240))
    b = "".join(rng.choice("acgt") for _ in range(220))
    return (a, b)


EDGE_CASES = [
    ("", ""),
    ("", "abc"),
    ("abc", ""),
    ("kitten", "sitting"),
    ("flaw", "lawn"),
    ("same", "same"),
    ("aaaa", "aa"),
    ("café", "cafe"),
]
