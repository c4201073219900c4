"""Running untrusted code: a child process with its own temp dir, a scrubbed environment,
resource limits, no network, a read-only view of only the interpreter, its libraries and
the problem's files where the OS allows it (bubblewrap), private size-limited tmpfs, one
memory limit for everything a sandbox runs (a cgroup), and a wall-clock kill of the whole
process tree. Processes that run candidate code add the kernel's system-call filter
(:mod:`optbench.runtime.seccomp`) before loading it.

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
