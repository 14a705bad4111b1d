"""A real one-column migration for fleet tests and the fleet benchmark, without touching the tree.

`probe_migration()` makes the pupils app's migrations package look, for the duration, like the
real one plus `0999_fleet_probe` (adds a nullable column to pupils_pupil). It is a genuine
migration run by the genuine `migrate` (and by forked workers, which inherit the settings), and it
is taken away afterwards: the column dropped and the record deleted in every schema.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings

APP = "pupils"
NAME = "0999_fleet_probe"
COLUMN = "fleet_probe"
TABLE = "pupils_pupil"
PACKAGE = "sencohub_fleet_probe_migrations"

MIGRATION = """
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [{dependencies}]
    operations = [
        migrations.RunSQL(
            "ALTER TABLE {table} ADD COLUMN {column} integer",
            reverse_sql="ALTER TABLE {table} DROP COLUMN {column}",
        )
    ]
"""


def _leaves() -> list[tuple[str, str]]:
    return MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes(APP)


@contextmanager
def probe_migration() -> Iterator[None]:
    import apps.pupils.migrations as real

    leaves = _leaves()
    with tempfile.TemporaryDirectory() as extra:
        # A real package on sys.path (the loader reloads it) whose path also covers the real
        # migrations folder, so it holds the real migrations plus the probe.
        folder = Path(extra, PACKAGE)
        folder.mkdir()
        (folder / "__init__.py").write_text(f"__path__.append({list(real.__path__)[0]!r})\n")
        (folder / f"{NAME}.py").write_text(
            MIGRATION.format(
                dependencies=", ".join(repr(leaf) for leaf in leaves), table=TABLE, column=COLUMN
            )
        )
        sys.path.insert(0, extra)
        try:
            with override_settings(MIGRATION_MODULES={APP: PACKAGE}):
                yield
        finally:
            sys.path.remove(extra)
            for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
                del sys.modules[name]
            remove_probe_everywhere()


def all_schemas_with(table: str) -> list[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = %s", [table]
        )
        return [r[0] for r in cur.fetchall()]


def has_probe(schema: str) -> bool:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s AND column_name = %s",
            [schema, TABLE, COLUMN],
        )
        return cur.fetchone() is not None


def probe_recorded(schema: str) -> bool:
    with connection.cursor() as cur:
        cur.execute(
            f'SELECT 1 FROM "{schema}".django_migrations WHERE app = %s AND name = %s', [APP, NAME]
        )
        return cur.fetchone() is not None


def remove_probe_everywhere() -> None:
    connection.set_schema_to_public()
    for schema in all_schemas_with(TABLE):
        with connection.cursor() as cur:
            cur.execute(f'ALTER TABLE "{schema}".{TABLE} DROP COLUMN IF EXISTS {COLUMN}')
    for schema in all_schemas_with("django_migrations"):
        with connection.cursor() as cur:
            cur.execute(
                f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s',
                [APP, NAME],
            )
