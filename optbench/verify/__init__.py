"""Equivalence checking: a cascade from static checks to Hypothesis differential testing."""
