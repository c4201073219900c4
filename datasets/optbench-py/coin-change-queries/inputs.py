import random

from hypothesis import strategies as st


def _render(coins, amounts):
    lines = [f"{len(coins)} {len(amounts)}", " ".join(map(str, coins))]
    lines += [str(a) for a in amounts]
    return "\n".join(lines) + "\n"


@st.composite
def _case(draw):
    coins = draw(st.lists(st.integers(1, 20), min_size=1, max_size=5))
    amounts = draw(st.lists(st.integers(0, 60), max_size=6))
    return _render(coins, amounts)


def strategy():
    return _case()


def workload():
    rng = random.Random(61)
    coins = sorted(rng.sample(range(1, 101), 12))
    amounts = [rng.randint(1000, 5000) for _ in range(30)]
    return _render(coins, amounts)


EDGE_CASES = [
    "1 0\n1\n",
    "1 3\n1\n0\n5\n10\n",
    "2 2\n3 5\n0\n4\n",
    "3 1\n2 5 10\n1\n",
    "1 1\n100\n5000\n",
    "2 1\n4 4\n3\n",
]
