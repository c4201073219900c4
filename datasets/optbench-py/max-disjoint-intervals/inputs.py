import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _render(intervals):
    return "\n".join([str(len(intervals))] + [f"{s} {e}" for s, e in intervals]) + "\n"


@st.composite
def _case(draw):
    starts = draw(st.lists(st.tuples(st.integers(0, 20), st.integers(1, 8)), max_size=15))
    return _render([(s, s + d) for s, d in starts])


def _intervals(rng, n, end=10**9, longest=10**6):
    intervals = []
    for _ in range(n):
        s = rng.randint(0, end - longest)
        intervals.append((s, s + rng.randint(1, longest)))
    return intervals


def _large(rng, scale):
    # lengths grow with the number of intervals and the line with both: as many
    # overlaps as in the workload at every size
    longest = scaled(scale, 10**6, 1)
    end = max(longest, scaled(scale**2, 10**9))
    return _render(_intervals(rng, scaled(scale, 1400), end, longest))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=71):
    return _render(_intervals(random.Random(seed), 1400))


EDGE_CASES = [
    "0\n",
    "1\n0 1\n",
    "3\n1 5\n2 3\n6 8\n",
    "2\n0 10\n0 10\n",
    "3\n0 1000000000\n5 7\n999999990 1000000000\n",
]
