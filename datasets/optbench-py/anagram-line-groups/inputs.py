import random

from hypothesis import strategies as st


def _render(words):
    return f"{len(words)}\n{' '.join(words)}\n"


@st.composite
def _case(draw):
    word = st.text(alphabet="abc", min_size=1, max_size=3)
    return _render(draw(st.lists(word, min_size=1, max_size=25)))


def strategy():
    return _case()


def workload():
    rng = random.Random(51)
    letters = "abcdefghijklmnopqrstuvwxyz"
    bases = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 7))) for _ in range(1500)]
    words = []
    for _ in range(3300):
        w = list(rng.choice(bases))
        rng.shuffle(w)
        words.append("".join(w))
    return _render(words)


EDGE_CASES = [
    "1\nabc\n",
    "4\nact cat dog god\n",
    "5\na a b a b\n",
    "3\nx y z\n",
    "3\nab abc ba\n",
]
