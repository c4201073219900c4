"""``transformers serve`` of a local checkpoint on a free loopback port, for tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def transformers_cli() -> str:
    local = Path(sys.executable).with_name("transformers")
    return str(local) if local.exists() else (shutil.which("transformers") or "")


@contextmanager
def serve(checkpoint: Path, log: Path, ready_s: float = 180) -> Iterator[str]:
    """Start ``transformers serve CHECKPOINT`` (preloading it), yield its ``/v1`` URL once
    ``/health`` answers, stop it (the whole process group) afterwards. Skips when the serving
    extra is missing; fails with the server's log when it dies or never gets ready."""
    pytest.importorskip("fastapi")
    pytest.importorskip("uvicorn")
    cli = transformers_cli()
    if not cli:
        pytest.skip("the transformers CLI is not installed")
    port = free_port()
    command = [cli, "serve", str(checkpoint), "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [*command, "--device", "cpu"],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, **OFFLINE},
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + ready_s
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"transformers serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
                )
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"transformers serve not ready after {ready_s} s:\n{log.read_text()[-3000:]}"
                )
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
