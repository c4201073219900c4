"""Running one input through a function or a program and capturing what it did.

This package is imported on both sides of the sandbox: inside the untrusted child,
where it executes code, and in the trusted harness, where outcomes are compared.
It must stay dependency-free (standard library only; :mod:`optbench.runtime.seccomp`
loads pyseccomp when the sandbox asks for its filter, and says so when it cannot).
"""

from optbench.runtime.outcome import Outcome, run_function, run_program

__all__ = ["Outcome", "run_function", "run_program"]
