from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _large(rng, scale):
    return (scaled(scale, 1_000_000), rng.randint(0, 9))


def strategy():
    # powers of ten are where place-value counting goes wrong
    edges = st.sampled_from([1, 10, 100, 1000, 10_000, 100_000])
    return at_scale(st.tuples(st.integers(-5, 3000) | edges, st.integers(-1, 10)), _large)


def workload(seed=0):
    return (1_000_000 + seed % 50_000, (seed + 6) % 9 + 1)


EDGE_CASES = [
    (0, 1),
    (-7, 3),
    (9, 9),
    (25, 2),
    (99, 0),
    (1234, 1),
    (5, 10),
    (5, -1),
]
