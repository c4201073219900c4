import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.integers(-50, 50), max_size=30),
        st.integers(-2, 33),
    )


def workload():
    rng = random.Random(2)
    return ([rng.randint(-10**5, 10**5) for _ in range(20000)], 300)


EDGE_CASES = [
    ([], 1),
    ([5], 1),
    ([5], 0),
    ([4, 4, 4], 2),
    ([1, 3, -1, -3, 5, 3, 6, 7], 3),
    ([-5, -1, -3], 3),
    ([9, 8, 7, 6], 1),
]
