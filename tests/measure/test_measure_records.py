"""Profiles, machine metadata and the records the runner stores (no measuring)."""

from __future__ import annotations

import dataclasses

import pytest

from optbench.datasets import resolve_problem
from optbench.measure import (
    PROFILES,
    BaselineResult,
    CandidateMeasurement,
    compare_values,
    get_profile,
    machine_id,
    machine_info,
    measure_candidate,
)
from optbench.runtime.measure_worker import output_digest


def test_profiles_are_ordered_by_cost() -> None:
    timed = ["smoke", "quick", "default", "rigorous"]
    assert [name for name in PROFILES if name in timed] == timed
    costs = [
        PROFILES[name].n_values * (1 + PROFILES[name].warmups / PROFILES[name].values)
        for name in timed
    ]
    assert costs == sorted(costs)
    for profile in PROFILES.values():
        assert profile.description
        assert profile.memory_runs >= 1
    assert PROFILES["default"].memory_runs >= PROFILES["quick"].memory_runs
    assert get_profile("quick") is PROFILES["quick"]
    with pytest.raises(ValueError, match="unknown measurement profile"):
        get_profile("fastest")


def test_rounds_split_every_process() -> None:
    for profile in PROFILES.values():
        sizes = profile.round_sizes()
        assert sum(sizes) == profile.processes
        assert max(sizes) - min(sizes) <= 1
    assert PROFILES["quick"].round_sizes() == [3, 2]
    assert PROFILES["default"].round_sizes() == [2, 2, 2, 2]
    odd = dataclasses.replace(PROFILES["quick"], processes=5, rounds=2)
    assert odd.round_sizes() == [3, 2]
    assert dataclasses.replace(odd, rounds=0).round_sizes() == [1] * 5
    assert dataclasses.replace(odd, rounds=9).round_sizes() == [1] * 5


def test_machine_info() -> None:
    info = machine_info()
    for key in ("cpu_model", "logical_cores", "python_version", "python_implementation",
                "platform", "load_average", "machine_id"):  # fmt: skip
        assert key in info
    assert info["machine_id"] == machine_id() == machine_info()["machine_id"]


def test_baseline_round_trip() -> None:
    baseline = BaselineResult(
        time_values=[0.2, 0.21],
        memory_values=[1000.0],
        output_digest="abc",
        machine=machine_info(),
        rss_values=[1e7],
        loops=2,
        output='{"status":"ok"}',
        profile="quick",
        problem_hash="h",
    )
    assert BaselineResult.from_dict(baseline.to_dict()) == baseline


def test_candidate_measurement_round_trip() -> None:
    time = compare_values("time", [2.0, 2.1], [1.0, 1.1], unit="s")
    rss = compare_values("peak_rss", [10.0], [5.0], unit="B")
    m = CandidateMeasurement(time=time, profile="quick", rss=rss, details={"loops": 1})
    data = m.to_dict()
    assert data["rss"]["ratio"] == 2.0
    assert CandidateMeasurement.from_dict(data) == m


def test_a_baseline_from_elsewhere_is_refused() -> None:
    problem = resolve_problem("optbench-py/pair-sum-count")
    good = BaselineResult([0.1], [], "d", machine_info(), profile="quick",
                          problem_hash=problem.content_hash)  # fmt: skip
    cases = {
        "another version": dataclasses.replace(good, problem_hash="0" * 64),
        "profile": dataclasses.replace(good, profile="rigorous"),
        "machine": dataclasses.replace(good, machine={"machine_id": "elsewhere"}),
    }
    for message, baseline in cases.items():
        with pytest.raises(ValueError, match=message):
            measure_candidate(problem, problem.slow_source, "quick", baseline)


def test_digest_normalises_as_the_policy_allows() -> None:
    a = {"status": "exit", "stdout": "1 2\n3\n", "exit_code": 0}
    b = {"status": "exit", "stdout": "1  2 3", "exit_code": 0}
    assert output_digest(a, "stdout_ws") == output_digest(b, "stdout_ws")
    assert output_digest(a, "exact") != output_digest(b, "exact")
    x = {"status": "ok", "value": [1, 2], "args_after": []}
    y = {"status": "ok", "value": [2, 1], "args_after": []}
    assert output_digest(x, "unordered") == output_digest(y, "unordered")
    assert output_digest(x, "exact") != output_digest(y, "exact")


def test_tolerant_policies_compare_outcomes_when_digests_differ() -> None:
    import json

    from optbench.core import ComparePolicy
    from optbench.measure import MeasurementError
    from optbench.measure.harness import _check_output
    from optbench.measure.runs import Probe

    problem = dataclasses.replace(
        resolve_problem("optbench-py/pair-sum-count"), compare=ComparePolicy(mode="float")
    )

    def probe(value: float) -> Probe:
        wire = {"status": "ok", "value": {"$float": repr(value)}, "args_after": []}
        return Probe(output_digest(wire, "float"), json.dumps(wire), 0.1, None, None)

    original = probe(0.3)
    baseline = BaselineResult([0.1], [], original.digest, machine_info(), output=original.outcome)
    _check_output(problem, baseline, probe(0.1 + 0.2))
    with pytest.raises(MeasurementError, match="differs from the original's"):
        _check_output(problem, baseline, probe(0.31))
