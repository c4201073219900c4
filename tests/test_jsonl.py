from __future__ import annotations

from pathlib import Path

import pytest

from optbench.jsonl import json_objects, strict_json_objects
from optbench.train.data import jsonl_attempts


def test_malformed_lines_are_named_in_place(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"a": 1}\n\n[1, 2]\n{oops\n{"b": 2}\n')
    found = list(json_objects(path))
    assert [number for number, _ in found] == [1, 3, 4, 5]
    assert found[0][1] == {"a": 1} and found[3][1] == {"b": 2}
    assert found[1][1] == "not a JSON object"
    assert isinstance(found[2][1], str) and found[2][1].startswith("not JSON: ")
    with pytest.raises(ValueError, match=r"pairs\.jsonl:3: not a JSON object"):
        list(strict_json_objects(path))


def test_training_pairs_that_are_not_objects_are_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text('"slow_code"\n')
    with pytest.raises(ValueError, match=r"pairs\.jsonl:1: not a JSON object"):
        jsonl_attempts(path)
