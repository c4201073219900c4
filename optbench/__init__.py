"""optbench: a workbench for research on LLM-based code optimization."""

__version__ = "0.1.0"
