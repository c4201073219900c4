import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(st.lists(st.integers(-1000, 1000), max_size=40))


def workload():
    rng = random.Random(9)
    return (rng.sample(range(-10**9, 10**9), 2000),)


EDGE_CASES = [
    ([],),
    ([5],),
    ([5, 5],),
    ([1, 10],),
    ([10, 1, 4],),
    ([-7, 3, -2, 8],),
]
