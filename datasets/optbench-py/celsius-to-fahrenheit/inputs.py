import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _fmt(tenths):
    sign = "-" if tenths < 0 else ""
    tenths = abs(tenths)
    return f"{sign}{tenths // 10}.{tenths % 10}"


def _render(tenths):
    return "\n".join([str(len(tenths))] + [_fmt(t) for t in tenths]) + "\n"


@st.composite
def _case(draw):
    value = st.integers(-3000, 3000) | st.sampled_from(
        [-2733, -2732, -2731, -2730, -2729, 0, -400, -178]
    )
    return _render(draw(st.lists(value, max_size=20)))


def _tenths(rng, n):
    return [rng.randint(-2800, 3000) for _ in range(n)]


def _large(rng, scale):
    return _render(_tenths(rng, scaled(scale, 45000)))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=161):
    return _render(_tenths(random.Random(seed), 45000))


EDGE_CASES = [
    "0\n",
    "1\n0.0\n",
    "1\n-300.0\n",
    "4\n-40.0\n100.0\n36.6\n-273.0\n",
    "3\n300.0\n-274.0\n-0.1\n",
]
