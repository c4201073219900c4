import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.tuples(st.integers(-60, 60), st.integers(-60, 60)), max_size=8)
    )


def workload():
    rng = random.Random(6)
    fractions = []
    for _ in range(250):
        k = rng.randint(1, 40)
        fractions.append((k * rng.randint(-1500, 1500), k * rng.randint(1, 1500)))
    return (fractions,)


EDGE_CASES = [
    ([],),
    ([(1, 2)],),
    ([(4, 8), (4, 8)],),
    ([(-6, 9)],),
    ([(0, 5)],),
    ([(7, 1), (12, 18)],),
    ([(3, 4), (1, 0)],),
]
