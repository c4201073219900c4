import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _text(rng, n):
    return "".join(rng.choice("abcdefgh") for _ in range(n))


def _large(rng, scale):
    return (_text(rng, scaled(scale, 700)), _text(rng, scaled(scale, 700)))


def strategy():
    text = st.text(alphabet="abcdé", max_size=12) | st.text(alphabet="abcdefgh", max_size=12)
    return at_scale(st.tuples(text, text), _large)


def workload(seed=2):
    rng = random.Random(seed)
    a = _text(rng, 700)
    b = _text(rng, 700)
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
