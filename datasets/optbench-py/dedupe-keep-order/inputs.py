import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _items(rng, n, distinct=2000):
    return [rng.randrange(distinct) for _ in range(n)]


def _large(rng, scale):
    # as many repeats as in the workload at every size
    return (_items(rng, scaled(scale, 10000), scaled(scale, 2000, 1)),)


def strategy():
    return at_scale(
        st.tuples(
            st.one_of(
                st.lists(st.integers(-8, 8) | st.integers(0, 1999), max_size=40),
                st.lists(st.text(alphabet="xyz", max_size=2), max_size=40),
            )
        ),
        _large,
    )


def workload(seed=10):
    # about 100 ms of the slow version; a drawn input has at most 10000 items
    return (_items(random.Random(seed), 14000, 2800),)


EDGE_CASES = [
    ([],),
    ([1],),
    ([2, 2, 2],),
    ([1, 2, 3],),
    ([3, 1, 3, 2, 1],),
    (["b", "a", "b", ""],),
    ([-1, 1, -1, 0],),
]
