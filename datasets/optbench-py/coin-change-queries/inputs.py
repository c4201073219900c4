import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _render(coins, amounts):
    lines = [f"{len(coins)} {len(amounts)}", " ".join(map(str, coins))]
    lines += [str(a) for a in amounts]
    return "\n".join(lines) + "\n"


@st.composite
def _case(draw):
    coins = draw(st.lists(st.integers(1, 20) | st.integers(1, 100), min_size=1, max_size=5))
    amounts = draw(st.lists(st.integers(0, 60), max_size=6))
    return _render(coins, amounts)


def _queries(rng, n_coins, n_amounts, low, high):
    coins = sorted(rng.sample(range(1, 101), n_coins))
    amounts = [rng.randint(low, high) for _ in range(n_amounts)]
    return _render(coins, amounts)


def _large(rng, scale):
    return _queries(
        rng, scaled(scale, 12, 1), scaled(scale, 30, 1), scaled(scale, 1000), scaled(scale, 5000)
    )


def strategy():
    return at_scale(_case(), _large)


def workload(seed=61):
    return _queries(random.Random(seed), 12, 30, 1000, 5000)


EDGE_CASES = [
    "1 0\n1\n",
    "1 3\n1\n0\n5\n10\n",
    "2 2\n3 5\n0\n4\n",
    "3 1\n2 5 10\n1\n",
    "1 1\n100\n5000\n",
    "2 1\n4 4\n3\n",
]
