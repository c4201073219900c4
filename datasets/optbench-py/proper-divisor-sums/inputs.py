import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _numbers(rng, n):
    return [rng.randint(1, 20_000) for _ in range(n)]


def _large(rng, scale):
    return (_numbers(rng, scaled(scale, 400)),)


def strategy():
    return at_scale(st.tuples(st.lists(st.integers(-2, 400), max_size=10)), _large)


def workload(seed=4):
    return (_numbers(random.Random(seed), 400),)


EDGE_CASES = [
    ([],),
    ([1],),
    ([2, 3, 5],),
    ([6, 28, 496],),
    ([12, 12, 18],),
    ([10, -3, 6],),
]
