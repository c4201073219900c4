"""Batch runs: plan → baseline → propose → verify → measure → score, resumable at any point.

The runner lives in :mod:`optbench.run.runner`; configuration in :mod:`optbench.run.config`.
"""
