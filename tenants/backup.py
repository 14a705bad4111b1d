"""Per-school backup and restore: one sealed archive holding a school's schema and its documents.

An archive (tenants.sealed, AES-256-GCM, key from SCHOOL_BACKUP_KEY) is a gzipped tar of:
- `manifest.json`: archive format, the school's public details (name, URN, trust...), the
  migrations its schema had, every table's row count and the SHA-256 of every member;
- `schema.sql`: `pg_dump --schema=<school>` (plain SQL, no owners or privileges);
- `documents/<name>`: every private file of the school (apps.documents.storage).

Restore reads the archive twice. The first pass checks everything (key, every part's tag, every
member's hash, the format and the migrations) and touches nothing; the second pass puts the
documents in place and runs the SQL through `psql --single-transaction`, so a failure leaves no
half-restored schema. Into a new subdomain, the dump's schema name is rewritten (outside the COPY
data) to the new one; over the existing school (same URN only, after confirmation), the old schema
is dropped and the dump loaded in the same transaction. No other school is ever named in the SQL.

pg_dump and psql must be at least the server's major version: the first suitable of
PG_BIN_DIR, the embedded pgserver's own binaries and the PATH is used.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from .models import Domain, School, Trust, User
from .sealed import SealedReader, SealedWriter, SealError
from .typing import tenant_db

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
SCHEMA_SQL = "schema.sql"
DOCUMENTS = "documents/"


class BackupError(RuntimeError):
    """A backup or restore refused or failed; the message is for the operator."""


# --- PostgreSQL client tools --------------------------------------------------------------


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    return int(match.group(1)) if match else 0


def server_major() -> int:
    with connection.cursor() as cur:
        cur.execute("SHOW server_version_num")
        return int(cur.fetchone()[0]) // 10000


def _candidate_dirs() -> list[str]:
    dirs = []
    if os.environ.get("PG_BIN_DIR"):
        dirs.append(os.environ["PG_BIN_DIR"])
    try:
        import pgserver

        dirs.append(str(Path(pgserver.__file__).parent / "pginstall" / "bin"))
    except ImportError:
        pass
    for tool in ("pg_dump", "psql"):
        found = shutil.which(tool)
        if found:
            dirs.append(str(Path(found).parent))
    return list(dict.fromkeys(dirs))


def pg_tool(name: str) -> str:
    """The path of `name` (pg_dump, psql) whose major version is at least the server's."""
    needed = server_major()
    seen = []
    for folder in _candidate_dirs():
        path = Path(folder) / name
        if not path.is_file():
            continue
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=False)
        major = _major(out.stdout)
        seen.append(f"{path} ({major})")
        if major >= needed:
            return str(path)
    raise BackupError(
        f"No {name} of PostgreSQL {needed} or later was found (looked at: "
        f"{', '.join(seen) or 'nothing'}). Set PG_BIN_DIR to the bin folder of a matching client."
    )


def _connection_args() -> tuple[list[str], dict[str, str]]:
    d = connection.settings_dict
    args = ["-d", d["NAME"]]
    if d.get("HOST"):
        args += ["-h", d["HOST"]]
    if d.get("PORT"):
        args += ["-p", str(d["PORT"])]
    args += ["-U", d.get("USER") or "postgres"]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if d.get("PASSWORD"):
        env["PGPASSWORD"] = d["PASSWORD"]
    return args, env


# --- reading a school ---------------------------------------------------------------------


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def school_tables(schema_name: str) -> list[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
            [schema_name],
        )
        return [r[0] for r in cur.fetchall()]


def row_counts(schema_name: str) -> dict[str, int]:
    tables = school_tables(schema_name)
    if not tables:
        return {}
    sql = " UNION ALL ".join(f"SELECT %s, count(*) FROM {_q(schema_name)}.{_q(t)}" for t in tables)
    with connection.cursor() as cur:
        cur.execute(sql, tables)
        return {name: count for name, count in cur.fetchall()}


def migrations_of(schema_name: str) -> list[str]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT app || '.' || name FROM {_q(schema_name)}.django_migrations")
        return sorted(r[0] for r in cur.fetchall())


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _dump(schema_name: str) -> bytes:
    args, env = _connection_args()
    result = subprocess.run(
        [
            pg_tool("pg_dump"),
            *args,
            f"--schema={schema_name}",
            "--format=plain",
            "--no-owner",
            "--no-privileges",
            "--no-comments",
        ],
        capture_output=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        first = result.stderr.decode(errors="replace").strip().splitlines()[:1]
        raise BackupError(f"pg_dump failed: {first[0] if first else 'no message'}")
    return result.stdout


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def school_backup(*, acting_user: User | None, school: School, out: BinaryIO, key: bytes) -> dict:
    """Write the sealed archive of `school` to `out`. Returns its manifest."""
    from apps.documents import storage

    schema = school.schema_name
    tenant_db.set_schema_to_public()
    with transaction.atomic():
        # Counts and the dump are taken from a snapshot as close together as the tools allow.
        counts = row_counts(schema)
        migrations = migrations_of(schema)
    sql = _dump(schema)
    documents = {name: storage.read(schema, name) for name in storage.names(schema)}
    manifest = {
        "format": ARCHIVE_FORMAT,
        "product": "SENCo Hub",
        "created_at": timezone.now().isoformat(),
        "server_major": server_major(),
        "school": {
            "schema_name": schema,
            "name": school.name,
            "urn": school.urn,
            "phase": school.phase,
            "local_authority_name": school.local_authority_name,
            "local_authority_code": school.local_authority_code,
            "number_on_roll": school.number_on_roll,
            "trust": school.trust.name,
        },
        "migrations": migrations,
        "tables": counts,
        "members": {
            SCHEMA_SQL: _sha256(sql),
            **{DOCUMENTS + name: _sha256(data) for name, data in documents.items()},
        },
    }
    writer = SealedWriter(out, key)
    with tarfile.open(fileobj=writer, mode="w|gz") as tar:
        _add(tar, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        _add(tar, SCHEMA_SQL, sql)
        for name, data in documents.items():
            _add(tar, DOCUMENTS + name, data)
    writer.close()
    return manifest


# --- reading an archive -------------------------------------------------------------------


def _members(path: Path, key: bytes) -> Iterator[tuple[str, bytes]]:
    with open(path, "rb") as raw:
        reader = io.BufferedReader(SealedReader(raw, key), buffer_size=1024 * 1024)
        try:
            with tarfile.open(fileobj=reader, mode="r|gz") as tar:
                for info in tar:
                    if not info.isfile():
                        raise BackupError("The archive holds something other than files.")
                    handle = tar.extractfile(info)
                    yield info.name, handle.read() if handle else b""
        except SealError as exc:
            raise BackupError(str(exc)) from exc
        except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
            raise BackupError(
                "The archive opens with this key but its contents are damaged."
            ) from exc


def latest_migrations() -> set[str]:
    return set(migrations_of(settings.TENANT_BASE_SCHEMA))


def archive_verify(path: Path, key: bytes) -> dict:
    """Check the whole archive without touching anything. Returns its manifest."""
    manifest = None
    seen: dict[str, str] = {}
    for name, data in _members(path, key):
        if manifest is None:
            if name != MANIFEST:
                raise BackupError("The archive does not start with its manifest.")
            try:
                manifest = json.loads(data)
            except ValueError as exc:
                raise BackupError("The archive's manifest is damaged.") from exc
            if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
                raise BackupError(
                    f"The archive is in format {manifest.get('format') if isinstance(manifest, dict) else '?'}; "
                    f"this version of SENCo Hub reads format {ARCHIVE_FORMAT}."
                )
            continue
        seen[name] = _sha256(data)
    if manifest is None:
        raise BackupError("The archive is empty.")
    if seen != manifest.get("members"):
        raise BackupError("The archive's files do not match its manifest (damaged or altered).")
    unknown = sorted(set(manifest.get("migrations", [])) - latest_migrations())
    if unknown:
        raise BackupError(
            "The archive was made by another (newer) version of SENCo Hub: its schema has "
            f"migrations this version does not know ({', '.join(unknown[:5])}"
            f"{'...' if len(unknown) > 5 else ''}). Restore it with that version."
        )
    return manifest


# --- restoring ----------------------------------------------------------------------------


def retarget_sql(sql: str, old: str, new: str) -> str:
    """The dump with its schema renamed, in statements only (COPY data is left as it is)."""
    if old == new:
        return sql
    qualified = re.compile(rf'(?<![\w"]){re.escape(old)}\.|"{re.escape(old)}"\.')
    create = re.compile(rf"^(CREATE|ALTER) SCHEMA (?:{re.escape(old)}|\"{re.escape(old)}\")\b")
    out = []
    in_copy = False
    for line in sql.splitlines(keepends=True):
        if in_copy:
            if line.rstrip("\n") == "\\.":
                in_copy = False
            out.append(line)
            continue
        if line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
            in_copy = True
        line = create.sub(lambda m: f"{m.group(1)} SCHEMA {_q(new)}", line)
        out.append(qualified.sub(f"{_q(new)}.", line))
    return "".join(out)


def _psql(script: bytes) -> None:
    args, env = _connection_args()
    result = subprocess.run(
        [
            pg_tool("psql"),
            *args,
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "--single-transaction",
            "-f",
            "-",
        ],
        input=script,
        capture_output=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        # The first error line names the statement's problem; row data never appears in it
        # because COPY errors are reported by line number.
        lines = [
            line for line in result.stderr.decode(errors="replace").splitlines() if "ERROR" in line
        ]
        raise BackupError(f"Loading the schema failed: {lines[0] if lines else 'psql error'}")


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cur.fetchone() is not None


def _drop_schema(name: str) -> None:
    tenant_db.set_schema_to_public()
    with connection.cursor() as cur:
        cur.execute(f"DROP SCHEMA IF EXISTS {_q(name)} CASCADE")


def _migrate_forward(schema: str, manifest: dict) -> None:
    if set(manifest.get("migrations", [])) != latest_migrations():
        from django.core.management import call_command

        call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)
        tenant_db.set_schema_to_public()


@dataclass(frozen=True)
class Restored:
    school: School
    tables: int
    documents: int


def school_restore_new(
    *,
    acting_user: User | None,
    archive: Path,
    key: bytes,
    subdomain: str,
    name: str | None = None,
    urn: str | None = None,
    trust: Trust | None = None,
) -> Restored:
    """Restore the archive as a new school on `subdomain` (a copy: no other school touched)."""
    from apps.documents import storage

    from .hosts import school_host
    from .slugs import schema_name_for, validate_subdomain

    tenant_db.set_schema_to_public()
    try:
        validate_subdomain(subdomain)
    except ValidationError as exc:
        raise BackupError(f"The web address “{subdomain}”: {' '.join(exc.messages)}") from exc
    schema = schema_name_for(subdomain)
    if School.objects.filter(schema_name__iexact=schema).exists() or _schema_exists(schema):
        raise BackupError(f"The web address “{subdomain}” is already taken; choose another.")
    manifest = archive_verify(archive, key)
    details = manifest["school"]
    urn = urn or details["urn"]
    if School.objects.filter(urn=urn).exists():
        raise BackupError(
            f"A school with URN {urn} is already on the platform: give the copy another URN "
            "(--urn), or restore over that school (--over)."
        )
    if trust is None:
        trust = Trust.objects.filter(name=details["trust"]).first()
        if trust is None:
            raise BackupError(f"No trust named “{details['trust']}”: name one with --trust.")

    written: list[str] = []
    try:
        sql = b""
        for member, data in _members(archive, key):
            if member == SCHEMA_SQL:
                sql = data
            elif member.startswith(DOCUMENTS):
                storage.write(schema, member[len(DOCUMENTS) :], data)
                written.append(member[len(DOCUMENTS) :])
        script = retarget_sql(sql.decode(), details["schema_name"], schema).encode()
        _psql(script)
        with transaction.atomic():
            school = School(
                schema_name=schema,
                name=name or details["name"],
                urn=urn,
                phase=details["phase"],
                local_authority_name=details["local_authority_name"],
                local_authority_code=details["local_authority_code"],
                number_on_roll=details["number_on_roll"],
                trust=trust,
            )
            school.full_clean(exclude=["schema_name"])
            school.save()
            Domain.objects.create(tenant=school, domain=school_host(subdomain), is_primary=True)
            from .services import _after_provision

            transaction.on_commit(lambda: _after_provision(school.pk))
        _migrate_forward(schema, manifest)
    except BaseException:
        School.objects.filter(schema_name=schema).delete()
        _drop_schema(schema)
        for stored in written:
            storage.delete(schema, stored)
        raise
    return Restored(school, len(manifest["tables"]), len(written))


def school_restore_over(
    *, acting_user: User | None, archive: Path, key: bytes, school: School, confirm: str
) -> Restored:
    """Put the school back as it was in the archive (same school only; `confirm` must be its
    subdomain). The old schema is replaced in one transaction; documents follow."""
    from apps.documents import storage

    if confirm != school.slug:
        raise BackupError(
            f"Restoring over {school.name} replaces all its records: confirm with its web "
            f"address “{school.slug}”."
        )
    manifest = archive_verify(archive, key)
    details = manifest["school"]
    if details["urn"] != school.urn:
        raise BackupError(
            f"This archive is of {details['name']} (URN {details['urn']}), not of {school.name} "
            f"(URN {school.urn}); restore it as a new school instead."
        )
    schema = school.schema_name
    before = set(storage.names(schema))
    written: list[str] = []
    try:
        sql = b""
        for member, data in _members(archive, key):
            if member == SCHEMA_SQL:
                sql = data
            elif member.startswith(DOCUMENTS):
                stored = member[len(DOCUMENTS) :]
                if stored not in before:
                    written.append(stored)
                storage.write(schema, stored, data)
        script = (
            f"DROP SCHEMA {_q(schema)} CASCADE;\n".encode()
            + retarget_sql(sql.decode(), details["schema_name"], schema).encode()
        )
        _psql(script)
    except BaseException:
        for stored in written:
            storage.delete(schema, stored)
        raise
    kept = {m[len(DOCUMENTS) :] for m in manifest["members"] if m.startswith(DOCUMENTS)}
    for stale in before - kept:
        storage.delete(schema, stale)
    connection.close()  # cached plans and the search path may point at the dropped schema
    _migrate_forward(schema, manifest)
    from .routing import forget_schools

    forget_schools([school.pk])
    return Restored(school, len(manifest["tables"]), len(kept))
