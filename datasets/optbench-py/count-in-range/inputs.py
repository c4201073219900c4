import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

BOUND = 10**5


def _case(rng, n_values, n_queries, bound, width):
    values = [rng.randint(-bound, bound) for _ in range(n_values)]
    queries = []
    for _ in range(n_queries):
        lo = rng.randint(-bound, bound)
        queries.append((lo, lo + rng.randint(0, width)))
    return (values, queries)


def _large(rng, scale):
    # values and ranges spread in proportion to the size, as dense as in the workload
    bound, width = scaled(scale, BOUND, 1), scaled(scale, 20000)
    return _case(rng, scaled(scale, 6000), scaled(scale, 800), bound, width)


def strategy():
    bound = st.integers(-12, 12) | st.integers(-BOUND, BOUND)
    return at_scale(
        st.tuples(
            st.lists(st.integers(-10, 10) | st.integers(-BOUND, BOUND), max_size=30),
            st.lists(st.tuples(bound, bound), max_size=15),
        ),
        _large,
    )


def workload(seed=21):
    return _case(random.Random(seed), 6000, 800, BOUND, 20000)


EDGE_CASES = [
    ([], [(0, 5)]),
    ([1, 2, 3], []),
    ([1, 2, 3], [(1, 3), (2, 2), (4, 9)]),
    ([5, 5, 5], [(5, 5), (0, 4)]),
    ([-4, -1, 0, 3], [(-3, 0), (-10, 10)]),
]
