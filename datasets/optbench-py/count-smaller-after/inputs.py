import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

BOUND = 10**5


def _numbers(rng, n, bound=BOUND):
    return [rng.randint(-bound, bound) for _ in range(n)]


def _large(rng, scale):
    # values spread in proportion to the size: ties as likely at every size
    return (_numbers(rng, scaled(scale, 3000), scaled(scale, BOUND, 1)),)


def strategy():
    value = st.integers(-25, 25) | st.integers(-BOUND, BOUND)
    return at_scale(st.tuples(st.lists(value, max_size=40)), _large)


def workload(seed=6):
    return (_numbers(random.Random(seed), 3000),)


EDGE_CASES = [
    ([],),
    ([4],),
    ([3, 3],),
    ([5, 2, 6, 1],),
    ([1, 2, 3],),
    ([-1, -2, -1, -3],),
]
