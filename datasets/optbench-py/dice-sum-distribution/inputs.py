from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

ROLLS = 6**7  # the workload's: 7 dice of 6 faces


def _large(rng, scale):
    # up to 7 dice and 12 faces, never more rolls than the workload
    dice = rng.randint(1, 7)
    faces = rng.randint(1, 12)
    while faces > 1 and faces**dice > scaled(scale, ROLLS, 1):
        faces -= 1
    return (dice, faces)


def strategy():
    return at_scale(st.tuples(st.integers(-1, 4), st.integers(-1, 6)), _large)


def workload(seed=0):
    return (7 - seed % 2, 6 + seed % 2)


EDGE_CASES = [
    (0, 6),
    (1, 6),
    (2, 6),
    (3, 1),
    (1, 1),
    (-1, 6),
    (2, 0),
]
