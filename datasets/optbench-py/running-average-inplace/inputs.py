import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _values(rng, n):
    return [rng.uniform(-100.0, 100.0) for _ in range(n)]


def _large(rng, scale):
    return (_values(rng, scaled(scale, 6000)),)


def strategy():
    number = st.one_of(
        st.integers(-10**6, 10**6),
        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    )
    return at_scale(st.tuples(st.lists(number, max_size=30)), _large)


def workload(seed=12):
    return (_values(random.Random(seed), 6000),)


EDGE_CASES = [
    ([],),
    ([5],),
    ([1, 2, 3, 4],),
    ([2.5, 2.5, 2.5],),
    ([-1, 1, -1, 1],),
    ([1, 0.5, -3],),
]
