"""A derandomized verification draws the same inputs whatever the process has imported
(Hypothesis mixes in constants of the local modules it finds loaded)."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from optbench.verify.differential import run_differential


class _Recorder:
    """Stands in for the sandboxed checker: records what the draw sends."""

    examples = 0

    def __init__(self) -> None:
        self.inputs: list[Any] = []

    def check(self, value: Any, drawn: bool = False) -> None:
        self.inputs.append(value)


def _draw(source: str) -> list[Any]:
    recorder = _Recorder()
    strategy = st.tuples(st.integers(-5, 3000), st.integers(-1, 10))
    run_differential(recorder, strategy, 300, time.monotonic() + 60, constants_from=source)  # type: ignore[arg-type]
    return recorder.inputs


def test_the_draw_does_not_depend_on_what_is_imported(tmp_path: Path) -> None:
    original = "def f(n, d):\n    return str(n).count(str(d)) if 0 <= d <= 9 else 0\n"
    before = _draw(original)
    module = tmp_path / "lots_of_constants.py"
    module.write_text("VALUES = [" + ", ".join(str(v) for v in range(1000, 1400, 7)) + "]\n")
    sys.path.insert(0, str(tmp_path))
    try:
        importlib.import_module("lots_of_constants")
        after = _draw(original)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("lots_of_constants", None)
    assert before == after


def test_the_originals_constants_are_drawn() -> None:
    drawn = {n for n, _ in _draw("LIMIT = 2718\n")}
    assert 2718 in drawn
