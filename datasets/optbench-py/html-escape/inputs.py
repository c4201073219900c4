import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _text(rng, n):
    pieces = ["<p>", "</p>", "Tom & Jerry", ' class="x"', "it's", "plain text ", "café ", "a < b > c"]
    return "".join(rng.choice(pieces) for _ in range(n))


def _large(rng, scale):
    return (_text(rng, scaled(scale, 60_000)),)


def strategy():
    return at_scale(st.tuples(st.text(alphabet="ab &<>\"';é日#x27", max_size=40)), _large)


def workload(seed=19):
    # about 100 ms of the slow version; a drawn text has at most a quarter of its pieces
    return (_text(random.Random(seed), 240_000),)


EDGE_CASES = [
    ("",),
    ("plain text",),
    ("a & b < c > d",),
    ('say "hi"',),
    ("&amp;",),
    ("ünïcødé & 日本",),
]
