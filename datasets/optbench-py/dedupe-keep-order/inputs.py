import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.one_of(
            st.lists(st.integers(-8, 8), max_size=40),
            st.lists(st.text(alphabet="xyz", max_size=2), max_size=40),
        )
    )


def workload():
    rng = random.Random(10)
    return ([rng.randrange(2000) for _ in range(10000)],)


EDGE_CASES = [
    ([],),
    ([1],),
    ([2, 2, 2],),
    ([1, 2, 3],),
    ([3, 1, 3, 2, 1],),
    (["b", "a", "b", ""],),
    ([-1, 1, -1, 0],),
]
