import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

SIZE = 135
"""The workload's matrices are SIZE x SIZE."""
DRAWN_SIZE = 90
"""A drawn input multiplies at most DRAWN_SIZE**3 pairs (about a third of the workload's
work: verification runs the slow version on every drawn input)."""


@st.composite
def _matrices(draw):
    n = draw(st.integers(0, 4))
    k = draw(st.integers(0, 4))
    m = draw(st.integers(0, 4))
    k2 = draw(st.sampled_from([k, k, k, k + 1]))
    cell = st.integers(-20, 20) | st.integers(-100, 100)

    def matrix(r, c):
        return [draw(st.lists(cell, min_size=c, max_size=c)) for _ in range(r)]

    return matrix(n, k), matrix(k2, m)


def _matrix(rng, rows, cols):
    return [[rng.randint(-100, 100) for _ in range(cols)] for _ in range(rows)]


def _large(rng, scale):
    # n x k times k x m with n * k * m (the work) the scale's share of DRAWN_SIZE**3
    low, high = sorted((rng.random(), rng.random()))
    n, k, m = (scaled(scale**share, DRAWN_SIZE, 1) for share in (low, high - low, 1 - high))
    return (_matrix(rng, n, k), _matrix(rng, k, m))


def strategy():
    return at_scale(_matrices(), _large)


def workload(seed=15):
    rng = random.Random(seed)
    a = _matrix(rng, SIZE, SIZE)
    b = _matrix(rng, SIZE, SIZE)
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
