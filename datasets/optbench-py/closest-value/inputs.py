import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

BOUND = 10**6


def _numbers(rng, n):
    return [rng.randint(-BOUND, BOUND) for _ in range(n)]


def _large(rng, scale):
    values = _numbers(rng, scaled(scale, 3000))
    return (values, _numbers(rng, scaled(scale, 300)))


def strategy():
    return at_scale(
        st.tuples(
            st.lists(st.integers(-20, 20) | st.integers(-BOUND, BOUND), max_size=25),
            st.lists(st.integers(-25, 25) | st.integers(-BOUND, BOUND), max_size=15),
        ),
        _large,
    )


def workload(seed=22):
    rng = random.Random(seed)
    values = _numbers(rng, 3000)
    queries = _numbers(rng, 300)
    return (values, queries)


EDGE_CASES = [
    ([], [3]),
    ([5], [1, 5, 9]),
    ([1, 3], [2]),
    ([1, 4, 4, 10], [4, 6, 7, 100, -100]),
    ([-8, -2, 5], [-5, 0]),
    ([2, 2], []),
]
