"""Everything that runs inside the sandbox: the trust boundary, in one package.

- :mod:`.worker`: the verification worker (loads the code, runs the inputs it is sent);
- :mod:`.measure_worker`: probes, instruction counts and the pyperf benchmark;
- :mod:`.child`: the forked child that runs candidate code and the trusted parent that
  reads its clock and memory from the kernel;
- :mod:`.line_profile`: the line profiler behind hotspot feedback;
- :mod:`.execution`: the one way code runs, for all of them: loading it, calling a
  function, a program on fds 0 and 1 (in-memory stdin and stdout), the one output cap;
- :mod:`.outcome` (what one run did, as verification reports it), :mod:`.compare` (the
  one comparison policy), :mod:`.seccomp` and :mod:`.guard` (the kernel's and the interpreter's halves of
  the policy), :mod:`.hide` (the harness out of the code's sight).

Drivers that decide what to run (``optbench.verify``, ``optbench.measure``,
``optbench.techniques.hotspots``) stay outside. The package is imported on both sides of
the sandbox and stays dependency-free: the standard library and :mod:`optbench.codec`
(plus pyperf in the benchmark, and pyseccomp, loaded when the sandbox asks for its
filter).
"""

from optbench.runtime.outcome import Outcome, run_function, run_program

__all__ = ["Outcome", "run_function", "run_program"]
