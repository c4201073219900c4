import random

from hypothesis import strategies as st


def _render(words):
    return "\n".join([str(len(words))] + words) + "\n"


@st.composite
def _case(draw):
    word = st.text(alphabet="abc", min_size=1, max_size=3)
    return _render(draw(st.lists(word, max_size=30)))


def strategy():
    return _case()


def workload():
    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 8))) for _ in range(40)]
    words = [vocab[min(int(rng.expovariate(1 / 10)), 39)] for _ in range(100000)]
    return _render(words)


EDGE_CASES = [
    "0\n",
    "1\nhello\n",
    "5\nb\na\nb\nc\nb\n",
    "4\nx\nx\nx\nx\n",
    "6\nab\nyy\nab\nyy\nzz\nzz\n",
]
