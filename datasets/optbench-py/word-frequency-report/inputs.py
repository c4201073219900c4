import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(st.text(alphabet="aAbBzZ İıßÉé½²3_-,.\nǅ", max_size=60))


def workload():
    rng = random.Random(17)
    letters = "abcdefghijklmnopqrstuvwxyzéß"
    vocabulary = [
        "".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(400)
    ]
    vocabulary += ["Straße", "ÉCOLE", "naïve", "x2", "don't"]
    separators = [" ", " ", " ", ", ", ". ", "\n", " - ", "; "]
    parts = []
    for _ in range(15_000):
        word = rng.choice(vocabulary)
        if rng.random() < 0.2:
            word = word.capitalize()
        parts.append(word)
        parts.append(rng.choice(separators))
    return ("".join(parts),)


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
