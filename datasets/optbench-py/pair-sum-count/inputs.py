import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

N, LOW, HIGH = 2500, -500, 500


def _numbers(rng, n, low, high):
    return [rng.randint(low, high) for _ in range(n)]


def _large(rng, scale):
    # values spread in proportion to the size: pairs as common as in the workload
    span = scaled(scale, HIGH, 1)
    target = rng.randint(-span, span)
    return (_numbers(rng, scaled(scale, N), -span, span), target)


@st.composite
def _small(draw):
    nums = draw(st.lists(st.integers(-20, 20) | st.integers(LOW, HIGH), max_size=40))
    if nums and draw(st.booleans()):
        # a target some pair reaches, however far apart the values are
        i = draw(st.integers(0, len(nums) - 1))
        j = draw(st.integers(0, len(nums) - 1))
        return (nums, nums[i] + nums[j])
    return (nums, draw(st.integers(-40, 40) | st.integers(2 * LOW, 2 * HIGH)))


def strategy():
    return at_scale(_small(), _large)


def workload(seed=1):
    return (_numbers(random.Random(seed), N, LOW, HIGH), 17)


EDGE_CASES = [
    ([], 0),
    ([5], 10),
    ([5, 5], 10),
    ([5, 5, 5], 10),
    ([-3, 3, 0, 0], 0),
]
