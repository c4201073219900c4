import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _numbers(rng, n, distinct=2000):
    return [min(rng.randrange(distinct), rng.randrange(distinct)) for _ in range(n)]


def _large(rng, scale):
    # as many repeats (and ties in their counts) as in the workload at every size
    k = rng.randint(0, 20)
    return (_numbers(rng, scaled(scale, 6000), scaled(scale, 2000, 1)), k)


def strategy():
    return at_scale(
        st.tuples(
            st.lists(st.integers(-6, 6) | st.integers(0, 1999), max_size=40),
            st.integers(-3, 8),
        ),
        _large,
    )


def workload(seed=14):
    return (_numbers(random.Random(seed), 6000), 10)


EDGE_CASES = [
    ([], 3),
    ([7], 1),
    ([1, 1, 2, 2, 3], 2),
    ([5, 3, 5, 3, 5], 1),
    ([-1, -1, 4], 5),
    ([2, 2, 9], 0),
]
