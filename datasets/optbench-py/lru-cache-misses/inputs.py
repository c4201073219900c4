import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.integers(0, 8), max_size=40),
        st.integers(-1, 6),
    )


def workload():
    rng = random.Random(16)
    hot = list(range(1500))
    requests = [rng.choice(hot) if rng.random() < 0.8 else rng.randrange(10**6)
                for _ in range(12000)]
    return (requests, 1000)


EDGE_CASES = [
    ([], 3),
    ([1, 2], 0),
    ([1], -1),
    ([1, 1, 1], 1),
    ([1, 2, 1, 2], 2),
    ([1, 2, 3, 1, 2, 3], 2),
    ([4, 5, 6, 4], 3),
]
