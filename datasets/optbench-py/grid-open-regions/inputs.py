import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _render(rows):
    return f"{len(rows)} {len(rows[0])}\n" + "\n".join(rows) + "\n"


@st.composite
def _case(draw):
    h = draw(st.integers(1, 8))
    w = draw(st.integers(1, 8))
    p = draw(st.sampled_from([".", "#", ".#", "..#", "##."]))
    rows = ["".join(draw(st.sampled_from(p)) for _ in range(w)) for _ in range(h)]
    return _render(rows)


def _grid(rng, h, w):
    rows = ["".join("." if rng.random() < 0.6 else "#" for _ in range(w)) for _ in range(h)]
    return _render(rows)


def _large(rng, scale):
    # the grid's area is the scale's share of 220 x 220, in a random aspect
    tall = rng.random()
    return _grid(rng, scaled(scale**tall, 220, 1), scaled(scale ** (1 - tall), 220, 1))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=81):
    # about 100 ms of the slow version; a drawn grid has at most 220 x 220 cells
    return _grid(random.Random(seed), 340, 340)


EDGE_CASES = [
    "1 1\n.\n",
    "1 1\n#\n",
    "2 3\n###\n###\n",
    "3 3\n.#.\n#.#\n.#.\n",
    "1 5\n.....\n",
    "4 1\n.\n#\n.\n.\n",
]
