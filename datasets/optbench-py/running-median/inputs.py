import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

BOUND = 10**6


def _numbers(rng, n, bound=BOUND):
    return [rng.randint(-bound, bound) for _ in range(n)]


def _large(rng, scale):
    # values spread in proportion to the size: ties as likely at every size
    return (_numbers(rng, scaled(scale, 6000), scaled(scale, BOUND, 1)),)


def strategy():
    value = st.integers(-30, 30) | st.integers(-BOUND, BOUND)
    return at_scale(st.tuples(st.lists(value, max_size=40)), _large)


def workload(seed=15):
    # about 100 ms of the slow version; a drawn input has at most 6000 numbers
    return (_numbers(random.Random(seed), 8500),)


EDGE_CASES = [
    ([],),
    ([5],),
    ([1, 2],),
    ([2, 2, 2],),
    ([5, 15, 1, 3],),
    ([-3, -1, -2, -4],),
    ([1, 2, 3, 4, 5],),
]
