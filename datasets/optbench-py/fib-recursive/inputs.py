from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _large(rng, scale):
    # beyond the small inputs' 18, up to 28 (at most 0.4x the workload's work)
    return (18 + scaled(scale, 10),)


def strategy():
    return at_scale(st.tuples(st.integers(-5, 18)), _large)


def workload(seed=0):
    return (30 + seed % 2,)


EDGE_CASES = [
    (0,),
    (1,),
    (2,),
    (10,),
    (-1,),
]
