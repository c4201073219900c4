"""Input synthesis for imported problems: a Hypothesis strategy and a grown workload
inferred from the given tests, judged by the original.

Functions (an entry point called with argument tuples):

* :mod:`.values` — the arguments' types, nesting, ranges and lengths;
* :mod:`.arguments` — those shapes as a readable ``inputs.py``;
* :mod:`.functions` — all of it for one problem, the original judging and timing.

Programs (stdin → stdout):

* :mod:`.infer` — the structure of the given inputs (:mod:`.grammar`, :mod:`.tokens`);
* :mod:`.codegen` — that structure as a readable ``inputs.py`` (built on :mod:`.draw`);
* :mod:`.narrow` — the original (:mod:`.original`, sandboxed) picks the structure and
  ranges it accepts, discarding what it rejects;
* :mod:`.workload` — the workload grown until the original takes 50–500 ms;
* :mod:`.synthesize` — all of it for one problem; :mod:`.provenance` — how a problem is
  checked, in words; :mod:`.disagreement` — what a reference/original disagreement
  on a synthesized input means.
"""

from optbench.datasets.synthesis.synthesize import Synthesis, synthesize

__all__ = ["Synthesis", "synthesize"]
