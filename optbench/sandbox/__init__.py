"""Running untrusted code: a child process with its own temp dir, a scrubbed environment,
resource limits, no network, a read-only view of the file system where the OS allows it,
and a wall-clock kill of the whole process tree.

The layers in force are detected once per process (:func:`detect_isolation`) and every
verdict and measurement records them, so a result obtained without network isolation says so.
"""

from optbench.sandbox.channel import ChildDied, LineChannel, ProtocolError
from optbench.sandbox.isolation import Isolation, detect_isolation
from optbench.sandbox.limits import Limits
from optbench.sandbox.sandbox import RunResult, Sandbox, SandboxProcess

__all__ = [
    "ChildDied",
    "Isolation",
    "Limits",
    "LineChannel",
    "ProtocolError",
    "RunResult",
    "Sandbox",
    "SandboxProcess",
    "detect_isolation",
]
