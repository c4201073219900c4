import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

BOUND = 10**6


def _render(a):
    return f"{len(a)}\n{' '.join(map(str, a))}\n"


@st.composite
def _case(draw):
    value = st.integers(-BOUND, BOUND) | st.integers(-5, 5)
    return _render(draw(st.lists(value, min_size=1, max_size=30)))


def _numbers(rng, n, bound=BOUND):
    return [rng.randint(-bound, bound) for _ in range(n)]


def _large(rng, scale):
    # values spread in proportion to the size: ties as likely at every size
    return _render(_numbers(rng, scaled(scale, 2200, 1), scaled(scale, BOUND, 1)))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=141):
    return _render(_numbers(random.Random(seed), 2200))


EDGE_CASES = [
    "1\n5\n",
    "2\n1 3\n",
    "4\n-4 2 2 6\n",
    "3\n1000000 -1000000 1000000\n",
    "5\n7 7 7 7 7\n",
]
