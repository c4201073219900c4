import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _text(rng, n_vocabulary, n_words):
    letters = "abcdefghijklmnopqrstuvwxyzéß"
    vocabulary = [
        "".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(n_vocabulary)
    ]
    vocabulary += ["Straße", "ÉCOLE", "naïve", "x2", "don't"]
    separators = [" ", " ", " ", ", ", ". ", "\n", " - ", "; "]
    parts = []
    for _ in range(n_words):
        word = rng.choice(vocabulary)
        if rng.random() < 0.2:
            word = word.capitalize()
        parts.append(word)
        parts.append(rng.choice(separators))
    return "".join(parts)


def _large(rng, scale):
    return (_text(rng, scaled(scale, 400), scaled(scale, 15_000)),)


def strategy():
    return at_scale(st.tuples(st.text(alphabet="aAbBzZ İıßÉé½²3_-,.\nǅ", max_size=60)), _large)


def workload(seed=17):
    return (_text(random.Random(seed), 400, 15_000),)


EDGE_CASES = [
    ("",),
    ("   ,.;",),
    ("word",),
    ("The the THE cat",),
    ("b a, a b; c",),
    ("it's 2 o'clock",),
    ("Straße STRASSE straße",),
    ("snake_case and kebab-case",),
]
