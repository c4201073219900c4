import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _values(rng, n):
    return [rng.gauss(50.0, 12.0) for _ in range(n)]


def _large(rng, scale):
    return (_values(rng, scaled(scale, 5000)),)


def strategy():
    number = st.one_of(
        st.integers(-1000, 1000),
        st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
    )
    return at_scale(st.tuples(st.lists(number, max_size=30)), _large)


def workload(seed=13):
    return (_values(random.Random(seed), 5000),)


EDGE_CASES = [
    ([],),
    ([3.0],),
    ([1, 1],),
    ([1, 2, 3, 4],),
    ([2.5, -2.5],),
    ([10**6, 10**6 + 1, 10**6 + 2],),
]
