from hypothesis import strategies as st


def strategy():
    return st.tuples(st.integers(-3, 120))


def workload():
    return (1100,)


EDGE_CASES = [
    (0,),
    (1,),
    (2,),
    (5,),
    (10,),
    (-1,),
]
