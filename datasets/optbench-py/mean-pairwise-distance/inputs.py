import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _values(rng, n):
    return [rng.uniform(-500.0, 500.0) for _ in range(n)]


def _large(rng, scale):
    return (_values(rng, scaled(scale, 1500)),)


def strategy():
    number = st.one_of(
        st.integers(-1000, 1000),
        st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
    )
    return at_scale(st.tuples(st.lists(number, max_size=40)), _large)


def workload(seed=16):
    # about 100 ms of the slow version; a drawn input has at most 1500 values
    return (_values(random.Random(seed), 2150),)


EDGE_CASES = [
    ([],),
    ([4.0],),
    ([1, 3],),
    ([2.5, 2.5, 2.5],),
    ([-1, 0, 1],),
    ([10, -10, 0.5, 3],),
]
