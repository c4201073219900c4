"""Progress as plain lines (no terminal: CI logs, nohup): a phase whose size is not yet
known is not reported as finished, so its lines are not lost."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress import Progress

from optbench.run.runner import _LineReporter


def _reporter() -> tuple[Progress, _LineReporter, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, width=200)
    progress = Progress(console=console, disable=True)
    return progress, _LineReporter(progress, console), out


def test_a_phase_without_a_total_yet_is_reported_once_it_has_one() -> None:
    progress, reporter, out = _reporter()
    task = progress.add_task("confirm", total=None, rate="")
    reporter._report(finished_only=True)
    assert out.getvalue() == ""  # not finished: nothing to say yet
    progress.update(task, total=3)
    progress.advance(task, 3)
    reporter._report(finished_only=True)
    assert "confirm: 3/3 (100%)" in out.getvalue()


def test_a_phase_of_nothing_to_do_says_so_once() -> None:
    progress, reporter, out = _reporter()
    task = progress.add_task("confirm", total=None, rate="")
    progress.update(task, total=0)
    reporter._report(finished_only=True)
    reporter._report(finished_only=False, final=True)
    assert out.getvalue().count("confirm: 0/0") == 1


def test_a_finished_phase_that_grows_again_is_reported_again() -> None:
    """A phase reported as 0 of 0 before its work was known (or one pass of confirmations
    before the next) still gets its line when that work is done."""
    progress, reporter, out = _reporter()
    task = progress.add_task("confirm", total=0, rate="")
    reporter._report(finished_only=True)
    progress.update(task, total=2)
    progress.advance(task, 2)
    reporter._report(finished_only=True)
    reporter._report(finished_only=False, final=True)
    assert out.getvalue().count("confirm: 0/0") == 1
    assert out.getvalue().count("confirm: 2/2 (100%)") == 1
