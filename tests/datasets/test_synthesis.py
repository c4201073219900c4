"""Input synthesis for imported stdin→stdout problems: inference on hand-written
examples, the original as the judge (sandboxed), and the written inputs.py used by the
loader and the verifier like a hand-written one."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from optbench.cli import cli
from optbench.core.verdict import VerdictStatus
from optbench.datasets import load_dataset
from optbench.datasets.importers import import_pie, synthesize_inputs, write_problems
from optbench.datasets.synthesis import synthesize
from optbench.datasets.synthesis.codegen import Options
from optbench.datasets.synthesis.draw import RandomDraw
from optbench.datasets.synthesis.infer import infer_grammars
from optbench.datasets.synthesis.narrow import choose, compile_build
from optbench.datasets.synthesis.original import Original
from optbench.datasets.synthesis.provenance import checked_by
from optbench.datasets.synthesis.sampling import small_samples
from optbench.verify import VerifyConfig, verify


def _inputs(given: list[str], scale: float = 8.0) -> list[str]:
    """Inputs drawn from the simplest grammar inferred from ``given``: small ones and
    seeded ones at ``scale``."""
    grammar = infer_grammars(given)[0]
    build = compile_build(grammar, Options(), given)
    large = [build(RandomDraw(random.Random(seed)), scale) for seed in range(10)]
    return small_samples(build, 10) + large


def _rows(text: str) -> list[list[str]]:
    assert text.endswith("\n")
    return [line.split() for line in text.splitlines()]


def test_count_then_values() -> None:
    drawn = _inputs(["3\n1 2 3\n", "5\n4 4 1 2 9\n", "2\n7 7\n"])
    assert any(int(_rows(t)[0][0]) > 5 for t in drawn)  # counts grow with the scale
    for text in drawn:
        rows = _rows(text)
        assert len(rows) == 2 and len(rows[0]) == 1
        assert len(rows[1]) == int(rows[0][0])
        assert all(1 <= int(v) <= 9 for v in rows[1])


def test_edges_whose_ends_always_differ_keep_them_apart() -> None:
    given = ["4 3\n1 2\n2 3\n3 4\n", "5 4\n1 3\n2 5\n4 1\n3 2\n", "3 2\n2 1\n3 1\n"]
    drawn = _inputs(given)
    assert any(int(_rows(t)[0][0]) > 5 for t in drawn)
    for text in drawn:
        if int(_rows(text)[0][0]) >= 2:  # one vertex leaves no choice
            assert all(a != b for a, b in _rows(text)[1:])
    # two edges are no evidence: a == b is drawn too
    loose = _inputs(["3 1\n2 1\n", "4 1\n2 4\n"])
    assert any(a == b for text in loose for a, b in _rows(text)[1:])


def test_count_then_lines() -> None:
    for text in _inputs(["3\n10\n20\n30\n", "2\n5\n7\n", "4\n1\n1\n2\n3\n"]):
        rows = _rows(text)
        assert len(rows) == int(rows[0][0]) + 1
        assert all(len(row) == 1 and 1 <= int(row[0]) <= 30 for row in rows[1:])


def test_grid_height_width_then_rows() -> None:
    given = ["2 3\n#.#\n..#\n", "3 2\n##\n.#\n#.\n", "1 4\n.##.\n"]
    for text in _inputs(given):
        rows = _rows(text)
        height, width = map(int, rows[0])
        assert len(rows) == height + 1
        assert all(len(row) == 1 and len(row[0]) == width for row in rows[1:])
        assert set("".join(row[0] for row in rows[1:])) <= {"#", "."}


def test_pairs_after_n_m() -> None:
    given = ["3 10\n1 2\n3 4\n5 6\n", "2 9\n1 1\n2 2\n", "4 1\n9 9\n8 1\n1 1\n5 5\n"]
    for text in _inputs(given):
        rows = _rows(text)
        assert len(rows[0]) == 2 and len(rows) == int(rows[0][0]) + 1
        assert all(len(row) == 2 for row in rows[1:])


def test_strings_keep_their_alphabet() -> None:
    drawn = _inputs(["abba\n", "baab\n", "ab\n"])
    for text in drawn:
        rows = _rows(text)
        assert len(rows) == 1 and len(rows[0]) == 1
        assert rows[0][0].isalpha() and rows[0][0].islower()
    assert any(len(t) > 5 for t in drawn)  # lengths grow with the scale


def test_sorted_lists_stay_sorted() -> None:
    for text in _inputs(["4\n1 3 3 9\n", "5\n2 4 6 8 10\n", "3\n5 5 6\n"]):
        values = [int(v) for v in _rows(text)[1]]
        assert values == sorted(values)


def test_test_cases_until_a_sentinel() -> None:
    given = ["2\n1 2\n3\n4 5 6\n0\n", "1\n9\n0\n"]
    for text in _inputs(given):
        rows = _rows(text)
        assert rows[-1] == ["0"]
        index = 0
        while index < len(rows) - 1:
            count = int(rows[index][0])
            assert len(rows[index + 1]) == count
            index += 2
        assert index == len(rows) - 1


# -- against a real (sandboxed) original ----------------------------------------------

SLOW = (
    "n = int(input())\n"
    "a = list(map(int, input().split()))\n"
    "best = a[0]\n"
    "for i in range(n):\n"
    "    for j in range(i, n):\n"
    "        best = max(best, sum(a[i:j + 1]))\n"
    "print(best)\n"
)
"""The largest sum of a contiguous run (quadratic, so its workload can grow)."""
FAST = (
    "input()\n"
    "best = cur = None\n"
    "for x in map(int, input().split()):\n"
    "    cur = x if cur is None or cur < 0 else cur + x\n"
    "    best = cur if best is None else max(best, cur)\n"
    "print(best)\n"
)
MUTANT = SLOW.replace("range(i, n)", "range(i, n - 1)")
"""Never lets a run end at the last element: right on the given tests below."""
GIVEN = [("3\n2 -5 1\n", "2\n"), ("4\n3 -1 4 -9\n", "6\n"), ("2\n5 -3\n", "5\n")]


def _pie_problem(tmp_path: Path, slow: str = SLOW, given=GIVEN) -> Path:  # type: ignore[no-untyped-def]
    jsonl = tmp_path / "pairs.jsonl"
    jsonl.write_text(json.dumps({"problem_id": "p90001", "input": slow, "target": FAST}) + "\n")
    tests = tmp_path / "tests" / "p90001"
    tests.mkdir(parents=True, exist_ok=True)
    for index, (stdin, stdout) in enumerate(given):
        (tests / f"input.{index}.txt").write_text(stdin)
        (tests / f"output.{index}.txt").write_text(stdout)
    return jsonl


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small PIE-style problem imported with synthesis (shared: it takes a while)."""
    return _import(tmp_path_factory.mktemp("synthesized"), synthesis=True)


def _import(tmp_path: Path, synthesis: bool, slow: str = SLOW) -> Path:
    problems, errors = import_pie(_pie_problem(tmp_path, slow), tmp_path / "tests")
    assert not errors
    if synthesis:
        synthesize_inputs(problems, workers=1)
    out = tmp_path / ("synth" if synthesis else "plain")
    write_problems(problems, out, out.name)
    return out


def test_the_mutant_passes_the_given_tests() -> None:
    with Original(MUTANT) as mutant:
        for stdin, stdout in GIVEN:
            assert mutant.run(stdin).stdout == stdout


@pytest.mark.slow
def test_synthesized_inputs_kill_a_mutant_the_given_tests_let_through(
    tmp_path: Path, synthesized: Path
) -> None:
    plain = load_dataset(_import(tmp_path, synthesis=False)).get("p90001-0")
    assert verify(plain, MUTANT, VerifyConfig(max_examples=50)).status is VerdictStatus.EQUIVALENT

    problem = load_dataset(synthesized).get("p90001-0")
    assert problem.has_strategy
    verdict = verify(problem, MUTANT, VerifyConfig(max_examples=50))
    assert verdict.status is VerdictStatus.NOT_EQUIVALENT, verdict.message
    assert verify(problem, FAST, VerifyConfig(max_examples=50)).ok


@pytest.mark.slow
def test_written_inputs_load_and_grow_the_workload(synthesized: Path) -> None:
    dataset = load_dataset(synthesized)
    assert dataset.skipped == []
    problem = dataset.get("p90001-0")
    assert problem.has_strategy and problem.workload_varies
    assert list(problem.edge_cases()) == [stdin for stdin, _ in GIVEN]
    assert problem.workload(1) != problem.workload(2)
    assert len(problem.workload()) > 50 * max(len(s) for s, _ in GIVEN)
    assert "synthesized strategy from 3 given test(s)" in checked_by(problem)
    assert any(note.startswith("workload at scale") for note in problem.notes)
    with Original(SLOW) as original:
        assert original.run(problem.workload()).elapsed >= 0.02

    shown = CliRunner().invoke(cli, ["datasets", "show", str(Path(problem.path or ""))])
    assert shown.exit_code == 0, shown.output
    assert "checked by" in shown.output and "synthesized input 1" in shown.output


def test_rejected_inputs_are_discarded_and_counted() -> None:
    """An original that fails on a count of 1 (below every given count): the widened
    ranges lose samples to it, the given ranges do not."""
    given = [stdin for stdin, _ in GIVEN]
    fussy = "n = int(input())\nassert n > 1\n" + SLOW.split("\n", 1)[1]
    with Original(fussy) as original:
        chosen, attempts = choose(infer_grammars(given), original, given)
    assert chosen is not None
    rejected = sum(a.sampled - a.accepted for a in attempts)
    assert rejected > 0
    assert all("AssertionError" in reason for a in attempts for reason in a.reasons)
    assert chosen.accepted == chosen.sampled or chosen.options.level == "widened"


def test_an_original_that_rejects_everything_falls_back_to_the_given_tests() -> None:
    given = [stdin for stdin, _ in GIVEN]
    picky = f"import sys\nassert sys.stdin.read() in {given!r}\nprint(1)\n"
    result = synthesize(given, picky)
    assert result.inputs is None
    assert result.discarded > 0
    assert result.notes[0].startswith("given tests only: the original rejects most")
