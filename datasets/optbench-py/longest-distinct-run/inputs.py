import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _items(rng, n, distinct=1000):
    return [rng.randrange(distinct) for _ in range(n)]


def _large(rng, scale):
    # as many repeats as in the workload at every size
    return (_items(rng, scaled(scale, 6000), scaled(scale, 1000, 1)),)


def strategy():
    return at_scale(
        st.tuples(
            st.one_of(
                st.lists(st.integers(-6, 6) | st.integers(0, 999), max_size=40),
                st.lists(st.text(alphabet="abcde", max_size=2), max_size=40),
            )
        ),
        _large,
    )


def workload(seed=8):
    return (_items(random.Random(seed), 6000),)


EDGE_CASES = [
    ([],),
    (["x"],),
    ([1, 1, 1],),
    ([1, 2, 3, 4],),
    (["a", "b", "c", "a", "b", "b"],),
    ([-1, 0, 1, -1, 2, 3],),
    ([2, 1, 1, 2],),
]
