"""Equivalence checking: a cascade from static checks to Hypothesis differential testing.

``verify(problem, code)`` returns a :class:`~optbench.core.verdict.Verdict`. Candidate
code only ever runs in sandboxed worker processes; this package, which drives Hypothesis
and compares outcomes, stays on the trusted side.
"""

from optbench.verify.config import QUICK_EXAMPLES, VerifyConfig
from optbench.verify.verifier import Verifier, verify, verify_many

__all__ = ["QUICK_EXAMPLES", "Verifier", "VerifyConfig", "verify", "verify_many"]
