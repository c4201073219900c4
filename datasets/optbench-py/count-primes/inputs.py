from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _large(rng, scale):
    return (scaled(scale, 100_000),)


def strategy():
    return at_scale(st.tuples(st.integers(-10, 2000)), _large)


def workload(seed=0):
    return (100_000 + seed % 5_000,)


EDGE_CASES = [
    (-5,),
    (0,),
    (1,),
    (10,),
    (100,),
    (1000,),
]
