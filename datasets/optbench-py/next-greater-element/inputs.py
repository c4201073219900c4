import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

BOUND = 10**4


def _cooling(rng, n, jumps, bound=BOUND):
    # a cooling trend: temperatures mostly fall, so answers lie far to the right
    nums = sorted((rng.randint(-bound, bound) for _ in range(n)), reverse=True)
    for _ in range(jumps if n else 0):
        nums[rng.randrange(len(nums))] = rng.randint(-bound, bound)
    return nums


def _large(rng, scale):
    # values spread in proportion to the size: ties as likely at every size
    return (_cooling(rng, scaled(scale, 6500), scaled(scale, 80), scaled(scale, BOUND, 1)),)


def strategy():
    value = st.integers(-20, 20) | st.integers(-BOUND, BOUND)
    return at_scale(st.tuples(st.lists(value, max_size=40)), _large)


def workload(seed=5):
    return (_cooling(random.Random(seed), 6500, 80),)


EDGE_CASES = [
    ([],),
    ([7],),
    ([2, 2],),
    ([1, 2, 3],),
    ([3, 2, 1],),
    ([2, 1, 2, 4, 3],),
    ([-1, -3, -2, 0],),
]
