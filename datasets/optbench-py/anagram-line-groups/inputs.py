import random
import string

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _render(words):
    return f"{len(words)}\n{' '.join(words)}\n"


@st.composite
def _case(draw):
    word = st.text(alphabet="abc", min_size=1, max_size=3) | st.text(
        alphabet=string.ascii_lowercase, min_size=1, max_size=7
    )
    return _render(draw(st.lists(word, min_size=1, max_size=25)))


def _words(rng, n_bases, n_words):
    letters = "abcdefghijklmnopqrstuvwxyz"
    bases = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 7))) for _ in range(n_bases)]
    words = []
    for _ in range(n_words):
        w = list(rng.choice(bases))
        rng.shuffle(w)
        words.append("".join(w))
    return words


def _large(rng, scale):
    return _render(_words(rng, scaled(scale, 1500, 1), scaled(scale, 3300, 1)))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=51):
    return _render(_words(random.Random(seed), 1500, 3300))


EDGE_CASES = [
    "1\nabc\n",
    "4\nact cat dog god\n",
    "5\na a b a b\n",
    "3\nx y z\n",
    "3\nab abc ba\n",
]
