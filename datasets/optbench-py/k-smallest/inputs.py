import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

BOUND = 10**6


def _numbers(rng, n, bound=BOUND):
    return [rng.randint(-bound, bound) for _ in range(n)]


def _large(rng, scale):
    n = scaled(scale, 15000)
    k = rng.randint(0, min(n, 300))
    # values spread in proportion to the size: ties as likely at every size
    return (_numbers(rng, n, scaled(scale, BOUND, 1)), k)


def strategy():
    return at_scale(
        st.tuples(
            st.lists(st.integers(-20, 20) | st.integers(-BOUND, BOUND), max_size=30),
            st.integers(-2, 32),
        ),
        _large,
    )


def workload(seed=13):
    return (_numbers(random.Random(seed), 15000), 300)


EDGE_CASES = [
    ([], 0),
    ([5], 1),
    ([5], -1),
    ([3, 1, 2], 0),
    ([3, 1, 2], 2),
    ([4, 4, 1, 4], 3),
    ([-2, 7, -9, 0], 4),
]
