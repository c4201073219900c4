"""Alembic environment and revisions of the optbench store schema."""
