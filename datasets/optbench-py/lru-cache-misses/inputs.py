import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _requests(rng, n, n_hot):
    hot = list(range(n_hot))
    return [rng.choice(hot) if rng.random() < 0.8 else rng.randrange(10**6) for _ in range(n)]


def _large(rng, scale):
    capacity = scaled(scale, 1000)
    return (_requests(rng, scaled(scale, 12000), scaled(scale, 1500, 1)), capacity)


def strategy():
    return at_scale(
        st.tuples(
            st.lists(st.integers(0, 8), max_size=40),
            st.integers(-1, 6),
        ),
        _large,
    )


def workload():
    return (_requests(random.Random(16), 12000, 1500), 1000)


EDGE_CASES = [
    ([], 3),
    ([1, 2], 0),
    ([1], -1),
    ([1, 1, 1], 1),
    ([1, 2, 1, 2], 2),
    ([1, 2, 3, 1, 2, 3], 2),
    ([4, 5, 6, 4], 3),
]
