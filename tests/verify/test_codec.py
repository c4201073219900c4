"""The codec that carries values across the sandbox boundary."""

from __future__ import annotations

import math

import pytest

from optbench import codec
from optbench.codec import Opaque

ROUND_TRIP = [
    None,
    True,
    False,
    0,
    -7,
    2**53,
    -(2**80),
    10**5000,
    1.5,
    -0.0,
    float("inf"),
    float("-inf"),
    "text\nwith\tcontrol \u2603",
    b"\x00\xff",
    bytearray(b"ab"),
    [1, [2, [3]]],
    (1, (2,), ()),
    {"a": 1, 2: [3], (4, 5): {6}},
    {1, 2, 3},
    frozenset({(1, 2)}),
    complex(1.5, -2),
    range(1, 10, 3),
]


@pytest.mark.parametrize("value", ROUND_TRIP, ids=lambda v: type(v).__name__)
def test_round_trip_keeps_value_and_type(value: object) -> None:
    back = codec.loads(codec.dumps(value))
    assert type(back) is type(value)
    assert back == value


def test_nan_and_negative_zero_survive() -> None:
    assert math.isnan(codec.loads(codec.dumps(float("nan"))))
    zero = codec.loads(codec.dumps(-0.0))
    assert zero == 0.0 and math.copysign(1.0, zero) == -1.0


def test_list_and_tuple_stay_distinct() -> None:
    assert codec.loads(codec.dumps([1, 2])) == [1, 2]
    assert codec.loads(codec.dumps((1, 2))) == (1, 2)
    assert type(codec.loads(codec.dumps((1, 2)))) is tuple


def test_unknown_objects_become_opaque_builtins_only() -> None:
    class Liar:
        def __eq__(self, other: object) -> bool:
            return True

        def __repr__(self) -> str:
            return "[1, 2]"

    class Sneaky(list):
        pass

    back = codec.loads(codec.dumps([Liar(), Sneaky([1])]))
    assert all(type(item) is Opaque for item in back)
    assert back[0] != [1, 2]
    assert back[0].repr == "[1, 2]"
    assert back[1] != [1]


def test_hostile_repr_does_not_break_encoding() -> None:
    class Boom:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    encoded = codec.encode(Boom())
    assert "repr failed" in encoded["repr"]


def test_decimal_big_ints_from_older_encodings_still_decode() -> None:
    assert (
        codec.decode({"$int": "123456789012345678901234567890"}) == 123456789012345678901234567890
    )


@pytest.mark.parametrize(
    "data",
    [{"$nope": 1}, {}, {"$tuple": [{"$bad": 0}]}, "x"],
    ids=["tag", "empty", "nested", "str"],
)
def test_malformed_data_is_rejected(data: object) -> None:
    if data == "x":
        assert codec.decode(data) == "x"
        return
    with pytest.raises(ValueError):
        codec.decode(data)


def test_deep_nesting_is_bounded() -> None:
    value: list[object] = []
    for _ in range(500):
        value = [value]
    encoded = codec.encode(value)
    back = codec.decode(encoded)
    depth = 0
    while isinstance(back, list) and back:
        back = back[0]
        depth += 1
    assert depth <= codec.MAX_DEPTH + 1


def test_cycles_do_not_hang() -> None:
    cycle: list[object] = []
    cycle.append(cycle)
    codec.dumps(cycle)


def test_shared_structures_are_refused_not_expanded() -> None:
    shared: list[object] = [1]
    for _ in range(60):
        shared = [shared, shared]
    with pytest.raises(codec.TooLarge):
        codec.encode(shared, max_nodes=100_000)
    assert len(codec.encode(list(range(99_999)), max_nodes=100_000)) == 99_999


def test_an_object_address_does_not_make_two_runs_differ() -> None:
    class Point:
        pass

    first, second = codec.encode(Point()), codec.encode(Point())
    assert "0x…" in first["repr"]
    assert first == second
