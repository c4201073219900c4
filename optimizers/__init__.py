"""The technique catalogue: one module per technique, each registered by name.

See ``_template.py`` for how to add one.
"""
