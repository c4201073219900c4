"""What a process shows of the harness to the code it is about to run.

Code that can tell it is being checked can behave in the harness and not elsewhere (a
candidate correct only when it sees ``optbench.codec`` among the loaded modules). Before
the code loads, the harness's own modules leave ``sys.modules`` (the functions already
bound keep working: they hold their globals), ``__main__`` becomes an empty module, the
command line reads as a plain script's and the harness's environment variables go. A
seat-belt, not a proof: the code can still walk its caller's frames or read
``/proc/self/cmdline``.
"""

from __future__ import annotations

import os
import sys
import types

HARNESS_ROOTS = frozenset({"optbench", "pyperf", "pyseccomp", "psutil"})
SCRIPT = "solution.py"


def hide_harness() -> None:
    modules = sys.modules
    for name in list(modules):
        if name.partition(".")[0] in HARNESS_ROOTS:
            del modules[name]
    modules["__main__"] = types.ModuleType("__main__")
    sys.argv = [SCRIPT]
    sys.orig_argv = [sys.executable, SCRIPT]
    for key in [k for k in os.environ if k.startswith(("OPTBENCH", "PYPERF"))]:
        del os.environ[key]
