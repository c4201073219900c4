import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(st.lists(st.integers(-20, 20), max_size=40))


def workload():
    # a cooling trend: temperatures mostly fall, so answers lie far to the right
    rng = random.Random(5)
    nums = sorted((rng.randint(-10**4, 10**4) for _ in range(6500)), reverse=True)
    for _ in range(80):
        nums[rng.randrange(len(nums))] = rng.randint(-10**4, 10**4)
    return (nums,)


EDGE_CASES = [
    ([],),
    ([7],),
    ([2, 2],),
    ([1, 2, 3],),
    ([3, 2, 1],),
    ([2, 1, 2, 4, 3],),
    ([-1, -3, -2, 0],),
]
