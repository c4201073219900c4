import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

BOUND = 10**9


def _distinct(rng, n):
    return rng.sample(range(-BOUND, BOUND), n)


def _large(rng, scale):
    return (_distinct(rng, scaled(scale, 2000)),)


def strategy():
    value = st.integers(-1000, 1000) | st.integers(-BOUND, BOUND)
    return at_scale(st.tuples(st.lists(value, max_size=40)), _large)


def workload(seed=9):
    return (_distinct(random.Random(seed), 2000),)


EDGE_CASES = [
    ([],),
    ([5],),
    ([5, 5],),
    ([1, 10],),
    ([10, 1, 4],),
    ([-7, 3, -2, 8],),
]
