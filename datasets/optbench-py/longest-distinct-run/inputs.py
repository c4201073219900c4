import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.one_of(
            st.lists(st.integers(-6, 6), max_size=40),
            st.lists(st.text(alphabet="abcde", max_size=2), max_size=40),
        )
    )


def workload():
    rng = random.Random(8)
    return ([rng.randrange(1000) for _ in range(6000)],)


EDGE_CASES = [
    ([],),
    (["x"],),
    ([1, 1, 1],),
    ([1, 2, 3, 4],),
    (["a", "b", "c", "a", "b", "b"],),
    ([-1, 0, 1, -1, 2, 3],),
    ([2, 1, 1, 2],),
]
