import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

BOUND = 10**5


def _numbers(rng, n, bound=BOUND):
    return [rng.randint(-bound, bound) for _ in range(n)]


def _large(rng, scale):
    n = scaled(scale, 20000, 1)
    k = rng.randint(1, min(n, 300))
    # values spread in proportion to the size: ties as likely at every size
    return (_numbers(rng, n, scaled(scale, BOUND, 1)), k)


def strategy():
    return at_scale(
        st.tuples(
            st.lists(st.integers(-50, 50) | st.integers(-BOUND, BOUND), max_size=30),
            st.integers(-2, 33),
        ),
        _large,
    )


def workload(seed=2):
    return (_numbers(random.Random(seed), 20000), 300)


EDGE_CASES = [
    ([], 1),
    ([5], 1),
    ([5], 0),
    ([4, 4, 4], 2),
    ([1, 3, -1, -3, 5, 3, 6, 7], 3),
    ([-5, -1, -3], 3),
    ([9, 8, 7, 6], 1),
]
