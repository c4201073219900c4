import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

DAY = 86400


def _case(rng, n_hits, n_queries, window, day=DAY):
    hits = sorted(rng.randrange(day) for _ in range(n_hits))
    queries = [rng.randrange(day) for _ in range(n_queries)]
    return (hits, queries, window)


def _large(rng, scale):
    # the day shrinks with the number of hits: as many hits per window at every size
    window = rng.randint(1, 600)
    return _case(rng, scaled(scale, 5000), scaled(scale, 700), window, scaled(scale, DAY, 1))


def strategy():
    return at_scale(
        st.tuples(
            st.lists(st.integers(0, 30), max_size=30),
            st.lists(st.integers(-5, 35), max_size=15),
            st.integers(-1, 10),
        ),
        _large,
    )


def workload(seed=24):
    return _case(random.Random(seed), 5000, 700, 300)


EDGE_CASES = [
    ([], [5], 10),
    ([1, 2, 3], [], 5),
    ([1, 2, 3], [3], 1),
    ([1, 2, 3], [3], 0),
    ([10, 10, 20], [10, 19, 20, 30], 10),
    ([5, 6, 7], [0], 3),
]
