import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _render(words):
    return "\n".join([str(len(words))] + words) + "\n"


@st.composite
def _case(draw):
    word = st.text(alphabet="abc", min_size=1, max_size=3)
    return _render(draw(st.lists(word, max_size=30)))


def _words(rng, n_vocab, n):
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 8))) for _ in range(n_vocab)]
    return [vocab[min(int(rng.expovariate(1 / 10)), n_vocab - 1)] for _ in range(n)]


def _large(rng, scale):
    return _render(_words(rng, scaled(scale, 40, 1), scaled(scale, 100000)))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=11):
    return _render(_words(random.Random(seed), 40, 100000))


EDGE_CASES = [
    "0\n",
    "1\nhello\n",
    "5\nb\na\nb\nc\nb\n",
    "4\nx\nx\nx\nx\n",
    "6\nab\nyy\nab\nyy\nzz\nzz\n",
]
