"""Input synthesis for imported stdin→stdout problems: a Hypothesis strategy and a
grown workload inferred from the given tests, judged by the original.

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
