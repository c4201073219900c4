import random

from hypothesis import strategies as st


def strategy():
    small = st.lists(st.integers(-5, 5), max_size=25)
    return st.tuples(small, small)


def workload():
    rng = random.Random(17)
    a = [rng.randrange(6000) for _ in range(4000)]
    b = [rng.randrange(6000) for _ in range(4000)]
    return (a, b)


EDGE_CASES = [
    ([], [1]),
    ([1], []),
    ([1, 2, 3], [3, 2, 1]),
    ([2, 2, 1], [2, 2, 2]),
    ([4, 5], [6, 7]),
    ([-1, 0, 1], [1, -1]),
]
