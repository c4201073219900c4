from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _large(rng, scale):
    return (scaled(scale, 1100),)


def strategy():
    return at_scale(st.tuples(st.integers(-3, 120)), _large)


def workload(seed=0):
    return (1100 + seed % 100,)


EDGE_CASES = [
    (0,),
    (1,),
    (2,),
    (5,),
    (10,),
    (-1,),
]
