"""Imports from the field's formats into optbench's problem folders.

One module per format, each registering an :class:`Importer` (:mod:`.registry`);
``optbench datasets import FORMAT`` looks the format up by name and lists them all:

* :mod:`.pie` — PIE slow/fast program pairs with their test-case folders;
* :mod:`.generic` — one record a line, functions or stdin/stdout programs;
* :mod:`.humaneval` — HumanEval and HumanEval+ (prompt, canonical solution, ``check``);
* :mod:`.enamel` — ENAMEL-style problems: a reference, an input generator and sizes.

A record that cannot be imported gets an error naming its line; the others import.
Imported problems are ``eval`` unless a record or the import says ``train``
(:func:`write_problems` lists the train ones under ``[splits]`` in ``dataset.toml``).

Imported problems without inputs of their own get an ``inputs.py`` synthesized from
their given tests (:func:`synthesize_inputs`, :mod:`optbench.datasets.synthesis`): a
Hypothesis strategy and a workload grown until the original takes 50-500 ms. A
problem the synthesis cannot serve is checked on its given tests only, and says why in
its notes.
"""

from optbench.datasets.importers import enamel, generic, humaneval, pie
from optbench.datasets.importers.common import (
    NO_STRATEGY_NOTE,
    ImportOptions,
    ProblemFiles,
    load_imported,
    parse_compare_option,
    write_problems,
)
from optbench.datasets.importers.enamel import import_enamel
from optbench.datasets.importers.generic import import_generic
from optbench.datasets.importers.humaneval import import_humaneval
from optbench.datasets.importers.pie import PIE_PROVENANCE, import_pie
from optbench.datasets.importers.registry import IMPORTERS, Importer, get_importer, register
from optbench.datasets.importers.synthesize import synthesize_inputs

__all__ = [
    "IMPORTERS",
    "NO_STRATEGY_NOTE",
    "PIE_PROVENANCE",
    "ImportOptions",
    "Importer",
    "ProblemFiles",
    "enamel",
    "generic",
    "get_importer",
    "humaneval",
    "import_enamel",
    "import_generic",
    "import_humaneval",
    "import_pie",
    "load_imported",
    "parse_compare_option",
    "pie",
    "register",
    "synthesize_inputs",
    "write_problems",
]
