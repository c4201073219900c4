import random

from hypothesis import strategies as st


def strategy():
    text = st.text(alphabet="abcdé", max_size=12)
    return st.tuples(text, text)


def workload():
    rng = random.Random(2)
    a = "".join(rng.choice("abcdefgh") for _ in range(700))
    b = "".join(rng.choice("abcdefgh") for _ in range(700))
    return (a, b)


EDGE_CASES = [
    ("", ""),
    ("", "abc"),
    ("abc", ""),
    ("abc", "abc"),
    ("abcde", "ace"),
    ("aaaa", "aa"),
    ("xyz", "abc"),
    ("naïve", "native"),
]
