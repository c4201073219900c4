"""What machine a measurement was taken on.

Timings are only comparable on the same machine with the same interpreter, so every
measurement carries this record, and a cached baseline is keyed by ``machine_id``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import platform
import socket
import sys
from typing import Any


@functools.cache
def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def usable_cores() -> list[int]:
    """Cores this process may run on, in increasing order."""
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return list(range(os.cpu_count() or 1))


def machine_id() -> str:
    """Stable across runs on one machine: hostname, CPU model and Python version."""
    text = "\0".join((socket.gethostname(), cpu_model(), platform.python_version()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def machine_info() -> dict[str, Any]:
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "machine_id": machine_id(),
        "hostname": socket.gethostname(),
        "cpu_model": cpu_model(),
        "logical_cores": os.cpu_count() or 1,
        "usable_cores": usable_cores(),
        "python_version": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "python_executable": sys.executable,
        "platform": platform.platform(),
        "load_average": load,
    }
