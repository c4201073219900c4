import random

from hypothesis import strategies as st


@st.composite
def _matrices(draw):
    n = draw(st.integers(0, 4))
    k = draw(st.integers(0, 4))
    m = draw(st.integers(0, 4))
    k2 = draw(st.sampled_from([k, k, k, k + 1]))
    cell = st.integers(-20, 20)

    def matrix(r, c):
        return [draw(st.lists(cell, min_size=c, max_size=c)) for _ in range(r)]

    return matrix(n, k), matrix(k2, m)


def strategy():
    return _matrices()


def workload():
    rng = random.Random(15)
    n = 90
    a = [[rng.randint(-100, 100) for _ in range(n)] for _ in range(n)]
    b = [[rng.randint(-100, 100) for _ in range(n)] for _ in range(n)]
    return (a, b)


EDGE_CASES = [
    ([], []),
    ([], [[1, 2]]),
    ([[]], []),
    ([[2]], [[3]]),
    ([[1, 2], [3, 4]], [[5, 6], [7, 8]]),
    ([[1, 2, 3]], [[1], [0], [-1]]),
    ([[1, 2]], [[1, 2]]),
]
