import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _numbers(rng, n, distinct=6000):
    return [rng.randrange(distinct) for _ in range(n)]


def _large(rng, scale):
    # as many repeats and common values as in the workload at every size
    distinct = scaled(scale, 6000, 1)
    a = _numbers(rng, scaled(scale, 4000), distinct)
    b = _numbers(rng, scaled(scale, 4000), distinct)
    return (a, b)


def strategy():
    small = st.lists(st.integers(-5, 5) | st.integers(0, 5999), max_size=25)
    return at_scale(st.tuples(small, small), _large)


def workload(seed=17):
    rng = random.Random(seed)
    a = _numbers(rng, 4000)
    b = _numbers(rng, 4000)
    return (a, b)


EDGE_CASES = [
    ([], [1]),
    ([1], []),
    ([1, 2, 3], [3, 2, 1]),
    ([2, 2, 1], [2, 2, 2]),
    ([4, 5], [6, 7]),
    ([-1, 0, 1], [1, -1]),
]
