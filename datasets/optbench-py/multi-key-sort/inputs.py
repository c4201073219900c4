import random

from hypothesis import strategies as st


def strategy():
    person = st.tuples(
        st.text(alphabet="ab", max_size=3),
        st.integers(0, 4),
        st.sampled_from(["Oslo", "Lima", "Pune"]),
    )
    return st.tuples(st.lists(person, max_size=25))


def workload():
    rng = random.Random(20)
    names = ["ana", "bo", "cy", "dee", "eli", "fay", "gus", "hal"]
    cities = ["Oslo", "Lima", "Pune", "Kyiv"]
    people = [(rng.choice(names), rng.randint(18, 70), rng.choice(cities)) for _ in range(1200)]
    return (people,)


EDGE_CASES = [
    ([],),
    ([("ann", 30, "Oslo")],),
    ([("ann", 30, "Oslo"), ("bob", 25, "Lima")],),
    ([("ann", 30, "Oslo"), ("bob", 30, "Lima")],),
    ([("cy", 40, "Pune"), ("ann", 20, "Oslo"), ("bob", 40, "Lima"), ("dee", 20, "Kyiv")],),
    ([("eve", 0, "Oslo"), ("eve", 0, "Lima"), ("al", 0, "Pune")],),
]
