import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _people(rng, n):
    names = ["ana", "bo", "cy", "dee", "eli", "fay", "gus", "hal"]
    cities = ["Oslo", "Lima", "Pune", "Kyiv"]
    return [(rng.choice(names), rng.randint(18, 70), rng.choice(cities)) for _ in range(n)]


def _large(rng, scale):
    return (_people(rng, scaled(scale, 1200)),)


def strategy():
    person = st.tuples(
        st.text(alphabet="ab", max_size=3),
        st.integers(0, 4) | st.integers(18, 70),
        st.sampled_from(["Oslo", "Lima", "Pune"]),
    )
    return at_scale(st.tuples(st.lists(person, max_size=25)), _large)


def workload(seed=20):
    # about 100 ms of the slow version; a drawn input has at most 1200 people
    return (_people(random.Random(seed), 1900),)


EDGE_CASES = [
    ([],),
    ([("ann", 30, "Oslo")],),
    ([("ann", 30, "Oslo"), ("bob", 25, "Lima")],),
    ([("ann", 30, "Oslo"), ("bob", 30, "Lima")],),
    ([("cy", 40, "Pune"), ("ann", 20, "Oslo"), ("bob", 40, "Lima"), ("dee", 20, "Kyiv")],),
    ([("eve", 0, "Oslo"), ("eve", 0, "Lima"), ("al", 0, "Pune")],),
]
