import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(st.text(alphabet="ab &<>\"';é日#x27", max_size=40))


def workload():
    rng = random.Random(19)
    pieces = ["<p>", "</p>", "Tom & Jerry", ' class="x"', "it's", "plain text ", "café ", "a < b > c"]
    return ("".join(rng.choice(pieces) for _ in range(60_000)),)


EDGE_CASES = [
    ("",),
    ("plain text",),
    ("a & b < c > d",),
    ('say "hi"',),
    ("&amp;",),
    ("ünïcødé & 日本",),
]
