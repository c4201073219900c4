import random

from hypothesis import strategies as st


def strategy():
    number = st.one_of(
        st.integers(-10**6, 10**6),
        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    )
    return st.tuples(st.lists(number, max_size=30))


def workload():
    rng = random.Random(12)
    return ([rng.uniform(-100.0, 100.0) for _ in range(6000)],)


EDGE_CASES = [
    ([],),
    ([5],),
    ([1, 2, 3, 4],),
    ([2.5, 2.5, 2.5],),
    ([-1, 1, -1, 1],),
    ([1, 0.5, -3],),
]
