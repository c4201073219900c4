import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _case(rng, n_coefficients, n_points):
    coefficients = [rng.uniform(-5.0, 5.0) for _ in range(n_coefficients)]
    points = [rng.uniform(-1.05, 1.05) for _ in range(n_points)]
    return (coefficients, points)


def _large(rng, scale):
    return _case(rng, scaled(scale, 80), scaled(scale, 9000))


def strategy():
    number = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
    return at_scale(
        st.tuples(
            st.lists(st.floats(-10.0, 10.0, allow_nan=False, allow_infinity=False), max_size=12),
            st.lists(number, max_size=8),
        ),
        _large,
    )


def workload(seed=9):
    # about 100 ms of the slow version; a drawn input has at most a third of its points
    return _case(random.Random(seed), 80, 27000)


EDGE_CASES = [
    ([], []),
    ([1.0, 2.0, 3.0], []),
    ([1.0, 2.0, 3.0], [0.0]),
    ([4.5], [-1.0, 0.0, 2.0]),
    ([1.0, -3.0, 3.0, -1.0], [1.0, 0.999, -0.5]),
    ([0.0, 0.0, 1.0], [-0.0, 1.5]),
]
