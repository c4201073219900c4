import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _dna(rng, n):
    return "".join(rng.choice("acgt") for _ in range(n))


def _large(rng, scale):
    return (_dna(rng, scaled(scale, 240)), _dna(rng, scaled(scale, 220)))


def strategy():
    text = st.text(alphabet="abcé日", max_size=10) | st.text(alphabet="acgt", max_size=10)
    return at_scale(st.tuples(text, text), _large)


def workload(seed=11):
    # about 100 ms of the slow version; drawn strings are at most 240 and 220 long
    rng = random.Random(seed)
    a = _dna(rng, 340)
    b = _dna(rng, 315)
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
