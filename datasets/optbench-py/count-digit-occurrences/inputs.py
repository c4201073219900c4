from hypothesis import strategies as st


def strategy():
    return st.tuples(st.integers(-5, 3000), st.integers(-1, 10))


def workload():
    return (1_000_000, 7)


EDGE_CASES = [
    (0, 1),
    (-7, 3),
    (9, 9),
    (25, 2),
    (99, 0),
    (1234, 1),
    (5, 10),
    (5, -1),
]
