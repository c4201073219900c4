import random

from hypothesis import strategies as st


def strategy():
    number = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
    return st.tuples(
        st.lists(st.floats(-10.0, 10.0, allow_nan=False, allow_infinity=False), max_size=12),
        st.lists(number, max_size=8),
    )


def workload():
    rng = random.Random(9)
    coefficients = [rng.uniform(-5.0, 5.0) for _ in range(80)]
    points = [rng.uniform(-1.05, 1.05) for _ in range(9000)]
    return (coefficients, points)


EDGE_CASES = [
    ([], []),
    ([1.0, 2.0, 3.0], []),
    ([1.0, 2.0, 3.0], [0.0]),
    ([4.5], [-1.0, 0.0, 2.0]),
    ([1.0, -3.0, 3.0, -1.0], [1.0, 0.999, -0.5]),
    ([0.0, 0.0, 1.0], [-0.0, 1.5]),
]
