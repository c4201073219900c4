import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.integers(-20, 20), max_size=30),
        st.integers(-2, 32),
    )


def workload():
    rng = random.Random(13)
    return ([rng.randint(-10**6, 10**6) for _ in range(15000)], 300)


EDGE_CASES = [
    ([], 0),
    ([5], 1),
    ([5], -1),
    ([3, 1, 2], 0),
    ([3, 1, 2], 2),
    ([4, 4, 1, 4], 3),
    ([-2, 7, -9, 0], 4),
]
