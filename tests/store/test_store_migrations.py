from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from optbench.store import Store, alembic_config, head_revision
from optbench.store._models import VERSION_TABLE, Base


def _diff(store: Store) -> list:
    with store._engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"version_table": VERSION_TABLE, "compare_type": True}
        )
        return compare_metadata(context, Base.metadata)


def test_migrated_schema_matches_orm(store: Store) -> None:
    assert _diff(store) == []


def test_version_is_head(store: Store) -> None:
    with store._engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        assert context.get_current_revision() == head_revision()


def test_downgrade_to_base_and_back(store: Store) -> None:
    with store._engine.begin() as conn:
        command.downgrade(alembic_config(connection=conn), "base")
    with store._engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {VERSION_TABLE}
    with store._engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), "head")
    assert _diff(store) == []


def test_migrations_ship_inside_the_package() -> None:
    migrations = resources.files("optbench.store") / "migrations"
    for name in ("env.py", "script.py.mako", "versions/0001_initial.py"):
        assert (migrations / name).is_file(), name
