import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _fractions(rng, n):
    fractions = []
    for _ in range(n):
        k = rng.randint(1, 40)
        fractions.append((k * rng.randint(-1500, 1500), k * rng.randint(1, 1500)))
    return fractions


def _large(rng, scale):
    return (_fractions(rng, scaled(scale, 250)),)


def strategy():
    return at_scale(
        st.tuples(
            st.lists(st.tuples(st.integers(-60, 60), st.integers(-60, 60)), max_size=8)
        ),
        _large,
    )


def workload(seed=6):
    return (_fractions(random.Random(seed), 250),)


EDGE_CASES = [
    ([],),
    ([(1, 2)],),
    ([(4, 8), (4, 8)],),
    ([(-6, 9)],),
    ([(0, 5)],),
    ([(7, 1), (12, 18)],),
    ([(3, 4), (1, 0)],),
]
