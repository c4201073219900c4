import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _numbers(rng, n, bound=4000):
    return [rng.randint(-bound, bound) for _ in range(n)]


def _large(rng, scale):
    # values spread in proportion to the size: ties as likely at every size
    return (_numbers(rng, scaled(scale, 5000), scaled(scale, 4000, 1)),)


def strategy():
    value = st.integers(-15, 15) | st.integers(-4000, 4000)
    return at_scale(st.tuples(st.lists(value, max_size=40)), _large)


def workload(seed=18):
    return (_numbers(random.Random(seed), 5000),)


EDGE_CASES = [
    ([],),
    ([7],),
    ([0, 1, 2],),
    ([40, 10, 20],),
    ([3, 1, 3],),
    ([-5, -5, -5],),
    ([-2, 9, -7, 0],),
]
