import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.integers(-6, 6), max_size=40),
        st.integers(-3, 8),
    )


def workload():
    rng = random.Random(14)
    return ([min(rng.randrange(2000), rng.randrange(2000)) for _ in range(6000)], 10)


EDGE_CASES = [
    ([], 3),
    ([7], 1),
    ([1, 1, 2, 2, 3], 2),
    ([5, 3, 5, 3, 5], 1),
    ([-1, -1, 4], 5),
    ([2, 2, 9], 0),
]
