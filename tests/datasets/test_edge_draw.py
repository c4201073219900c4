"""Edge draws: the strings of one input share characters where their alphabets allow."""

from __future__ import annotations

import random
import string

from optbench.datasets.synthesis.draw import Draw, EdgeDraw

LOWER = string.ascii_lowercase


def _two_strings(first: str, second: str) -> list[tuple[str, str]]:
    def build(d: Draw, scale: float) -> tuple[str, str]:
        return d.text(1, 8, LOWER, first), d.text(1, 8, LOWER, second)

    return [build(EdgeDraw(random.Random(seed)), 1.0) for seed in range(200)]


def test_a_later_string_is_often_made_of_an_earlier_ones_characters() -> None:
    """A pattern whose letters all occur in the text (``S = eooo``, ``T = eeee``) is what
    a subsequence or matching program's off-by-one shows on; given tests that draw ``T``
    from other letters than ``S`` would almost never make one."""
    drawn = _two_strings("abc", "xyz")
    assert all(set(s) <= set("abc") for s, _ in drawn)  # the first keeps its given letters
    shared = sum(set(t) <= set(s) for s, t in drawn)
    assert shared >= 40
    assert any(set(t) <= set("xyz") for _, t in drawn)  # and its own letters still come


def test_shared_characters_stay_within_the_later_strings_alphabet() -> None:
    def build(d: Draw, scale: float) -> tuple[str, str]:
        return d.text(1, 8, "ab", "ab"), d.text(1, 8, "01", "01")

    for seed in range(100):
        _, digits = build(EdgeDraw(random.Random(seed)), 1.0)
        assert set(digits) <= set("01")
