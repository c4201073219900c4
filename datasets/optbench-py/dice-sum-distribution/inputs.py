from hypothesis import strategies as st


def strategy():
    return st.tuples(st.integers(-1, 4), st.integers(-1, 6))


def workload():
    return (7, 6)


EDGE_CASES = [
    (0, 6),
    (1, 6),
    (2, 6),
    (3, 1),
    (1, 1),
    (-1, 6),
    (2, 0),
]
