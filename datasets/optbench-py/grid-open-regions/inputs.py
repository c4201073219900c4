import random

from hypothesis import strategies as st


def _render(rows):
    return f"{len(rows)} {len(rows[0])}\n" + "\n".join(rows) + "\n"


@st.composite
def _case(draw):
    h = draw(st.integers(1, 8))
    w = draw(st.integers(1, 8))
    p = draw(st.sampled_from([".", "#", ".#", "..#", "##."]))
    rows = ["".join(draw(st.sampled_from(p)) for _ in range(w)) for _ in range(h)]
    return _render(rows)


def strategy():
    return _case()


def workload():
    rng = random.Random(81)
    h, w = 220, 220
    rows = ["".join("." if rng.random() < 0.6 else "#" for _ in range(w)) for _ in range(h)]
    return _render(rows)


EDGE_CASES = [
    "1 1\n.\n",
    "1 1\n#\n",
    "2 3\n###\n###\n",
    "3 3\n.#.\n#.#\n.#.\n",
    "1 5\n.....\n",
    "4 1\n.\n#\n.\n.\n",
]
