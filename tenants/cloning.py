"""Copy the migrated template schema into a new school's schema.

django-tenants' `clone_schema` SQL function copies every kind of object, but it scans the whole
catalogue, so it slows down as schools are added (0.23 s with one school, 0.92 s with fifty in
`make bench`). A school schema made by Django migrations holds only tables (with their columns,
defaults, identity columns, checks, keys, indexes and foreign keys) and a few rows (recorded
migrations, content types). Those are copied here:

- the copy script is written once per template version (read from the catalogue with queries
  restricted to the template's namespace) and cached in the process; the version is the
  template's set of recorded migrations, which every schema change goes through;
- each provisioning sends that script in one round trip, so its cost depends on the template
  alone, not on the number of schools.

If the template ever holds anything else (views, functions, triggers, free-standing sequences,
column defaults that call a sequence), the complete django-tenants clone is used instead.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django_tenants.clone import CloneSchema

NEW = "__sencohub_new_schema__"
_scripts: dict[tuple[object, ...], str | None] = {}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _needs_full_clone(cur: CursorWrapper, ns: int) -> bool:
    cur.execute(
        """
        SELECT
          EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = %(ns)s AND relkind IN ('v', 'm', 'f'))
          OR EXISTS (SELECT 1 FROM pg_proc WHERE pronamespace = %(ns)s)
          OR EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                     WHERE c.relnamespace = %(ns)s AND NOT t.tgisinternal)
          OR EXISTS (SELECT 1 FROM pg_class s WHERE s.relnamespace = %(ns)s AND s.relkind = 'S'
                     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = s.oid AND d.deptype = 'i'))
          OR EXISTS (SELECT 1 FROM pg_attrdef ad JOIN pg_class c ON c.oid = ad.adrelid
                     WHERE c.relnamespace = %(ns)s AND pg_get_expr(ad.adbin, ad.adrelid) LIKE '%%nextval(%%')
        """,
        {"ns": ns},
    )
    return bool(cur.fetchone()[0])


def _write_script(cur: CursorWrapper, template: str, ns: int) -> str | None:
    """The SQL that copies `template` into a schema named NEW, or None if only a full clone will do."""
    if _needs_full_clone(cur, ns):
        return None
    src_schema, dst_schema = _q(template), _q(NEW)
    cur.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = %s AND relkind IN ('r', 'p') ORDER BY oid",
        [ns],
    )
    tables = [r[0] for r in cur.fetchall()]
    cur.execute(
        """
        SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = %s AND c.relkind IN ('r', 'p') AND a.attidentity <> '' AND NOT a.attisdropped
        """,
        [ns],
    )
    identities = cur.fetchall()
    # Keys, indexes and foreign keys, written as seen from inside the template: references to its
    # own tables come out unqualified and resolve inside the new schema; anything else stays
    # qualified. They keep their names, which later migrations rely on.
    cur.execute("SELECT current_setting('search_path')")
    search_path = cur.fetchone()[0]
    cur.execute("SELECT set_config('search_path', %s, true)", [src_schema])
    cur.execute(
        """
        SELECT c.relname, con.conname, pg_get_constraintdef(con.oid), con.contype = 'f'
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
        WHERE c.relnamespace = %s AND con.contype IN ('p', 'u', 'x', 'f')
        ORDER BY con.contype = 'f', con.oid
        """,
        [ns],
    )
    constraints = cur.fetchall()
    cur.execute(
        """
        SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        WHERE c.relnamespace = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)
        ORDER BY i.indexrelid
        """,
        [ns],
    )
    index_definitions = [r[0] for r in cur.fetchall()]
    cur.execute("SELECT quote_ident(%s)", [template])
    qualified = re.escape(cur.fetchone()[0] + ".")
    cur.execute("SELECT set_config('search_path', %s, true)", [search_path])

    lines = [f"CREATE SCHEMA {dst_schema};"]
    for table in tables:
        src, dst = f"{src_schema}.{_q(table)}", f"{dst_schema}.{_q(table)}"
        lines.append(f"CREATE TABLE {dst} (LIKE {src} INCLUDING ALL EXCLUDING INDEXES);")
        lines.append(f"INSERT INTO {dst} OVERRIDING SYSTEM VALUE SELECT * FROM {src};")
    for table, column in identities:
        dst = f"{dst_schema}.{_q(table)}"
        lines.append(
            f"SELECT setval(pg_get_serial_sequence({_literal(dst)}, {_literal(column)}), "
            f"COALESCE(MAX({_q(column)}), 0) + 1, false) FROM {dst};"
        )
    lines.append(f"SELECT set_config('search_path', {_literal(dst_schema + ', public')}, true);")
    for table, name, definition, is_foreign_key in constraints:
        if not is_foreign_key:
            lines.append(
                f"ALTER TABLE {dst_schema}.{_q(table)} ADD CONSTRAINT {_q(name)} {definition};"
            )
    for definition in index_definitions:
        # pg_get_indexdef always names the table with its schema: point it at the new one.
        lines.append(
            re.sub(
                rf" ON (ONLY )?{qualified}",
                lambda m: f" ON {m.group(1) or ''}{dst_schema}.",
                definition,
                count=1,
            )
            + ";"
        )
    for table, name, definition, is_foreign_key in constraints:
        if is_foreign_key:
            lines.append(
                f"ALTER TABLE {dst_schema}.{_q(table)} ADD CONSTRAINT {_q(name)} {definition};"
            )
    return "\n".join(lines)


def clone_template(template: str, new: str) -> str:
    """Create schema `new` as a copy of `template` (structure and rows). Returns the method used.

    Runs in the caller's transaction: PostgreSQL DDL is transactional, so a failure leaves nothing.
    """
    if not re.fullmatch(r"[a-z0-9_]{1,63}", new):
        raise ValueError(f"Unexpected schema name {new!r}.")
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT n.oid, (SELECT array_agg(id ORDER BY id) FROM {_q(template)}.django_migrations) "
            "FROM pg_namespace n WHERE n.nspname = %s",
            [template],
        )
        row = cur.fetchone()
        if row is None:
            raise LookupError(f"Schema {template!r} does not exist.")
        version = (connection.settings_dict["NAME"], template, row[0], tuple(row[1] or ()))
        if version not in _scripts:
            _scripts[version] = _write_script(cur, template, row[0])
        script = _scripts[version]
        if script is None:
            CloneSchema().clone_schema(template, new, "DATA", set_connection=False)
            return "full"
        cur.execute("SELECT current_setting('search_path')")
        search_path = cur.fetchone()[0]
        cur.execute(
            script.replace(_q(NEW), _q(new))
            + f"\nSELECT set_config('search_path', {_literal(search_path)}, true);"
        )
    return "tables"
