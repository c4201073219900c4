import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _requests(rng, n, n_hot, n_keys=10**6):
    hot = list(range(n_hot))
    return [rng.choice(hot) if rng.random() < 0.8 else rng.randrange(n_keys) for _ in range(n)]


def _large(rng, scale):
    # the hot keys, the cold ones and the capacity grow with the number of requests
    capacity = scaled(scale, 1000)
    n_hot, n_keys = scaled(scale, 1500, 1), scaled(scale, 10**6, 1)
    return (_requests(rng, scaled(scale, 12000), n_hot, n_keys), capacity)


def strategy():
    return at_scale(
        st.tuples(
            st.lists(st.integers(0, 8), max_size=40),
            st.integers(-1, 6),
        ),
        _large,
    )


def workload(seed=16):
    return (_requests(random.Random(seed), 12000, 1500), 1000)


EDGE_CASES = [
    ([], 3),
    ([1, 2], 0),
    ([1], -1),
    ([1, 1, 1], 1),
    ([1, 2, 1, 2], 2),
    ([1, 2, 3, 1, 2, 3], 2),
    ([4, 5, 6, 4], 3),
]
