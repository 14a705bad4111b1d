"""Migrating a fleet of school schemas: find the schools that are behind, migrate only those, in
parallel, and keep going when one of them fails.

The latest state is the school template's: `migrate` brings the template up to date first, and
its recorded migrations (`django_migrations`) are what every school must have. Which schools have
them all is read in one query per few hundred schools (a UNION ALL over their `django_migrations`
tables), so a deploy with nothing to migrate costs a few queries whatever the number of schools.

The schools that are behind are migrated by a bounded pool of forked worker processes, each with
its own database connection, each school with django-tenants' own per-schema runner. Each
migration is atomic (PostgreSQL DDL is transactional), so a school that fails keeps the
migrations it completed and is simply behind: the next run picks it up, and only it.

Errors are reported by their first line only: PostgreSQL puts row values ("Key (upn)=(...)") in
the DETAIL lines that follow, and pupil data never goes to a terminal log.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections

from .typing import tenant_db

# Schemas per catalogue query: a thousand schools is four statements.
CHECK_BATCH = 250


@dataclass(frozen=True)
class SchoolMigration:
    """What happened to one school's schema."""

    schema_name: str
    ok: bool
    seconds: float
    error: str = ""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def applied_migrations(schema_name: str) -> set[tuple[str, str]]:
    """The migrations recorded in one schema (the template's are the latest state)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT app, name FROM {_q(schema_name)}.django_migrations")
        return {(app, name) for app, name in cur.fetchall()}


def schools_behind(schema_names: Sequence[str], latest: set[tuple[str, str]]) -> list[str]:
    """The schemas that lack at least one of the `latest` migrations, in the order given.

    A schema without a `django_migrations` table (or without a schema at all) is behind; trying
    to migrate it reports why.
    """
    if not schema_names:
        return []
    wanted = sorted(f"{app}\x1f{name}" for app, name in latest)
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT n.nspname FROM pg_namespace n
            JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'django_migrations'
                 AND c.relkind = 'r'
            WHERE n.nspname = ANY(%s)
            """,
            [list(schema_names)],
        )
        with_table = {row[0] for row in cur.fetchall()}
        up_to_date: set[str] = set()
        checkable = [s for s in schema_names if s in with_table]
        for start in range(0, len(checkable), CHECK_BATCH):
            batch = checkable[start : start + CHECK_BATCH]
            parts = [
                f"SELECT %s, count(*) FROM {_q(schema)}.django_migrations "
                f"WHERE app || chr(31) || name = ANY(%s)"
                for schema in batch
            ]
            params: list = []
            for schema in batch:
                params += [schema, wanted]
            cur.execute(" UNION ALL ".join(parts), params)
            up_to_date.update(schema for schema, count in cur.fetchall() if count == len(wanted))
    return [s for s in schema_names if s not in up_to_date]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".strip()


def migrate_one(args: tuple, options: dict, schema_name: str) -> SchoolMigration:
    """Migrate one school's schema (in a worker process, or in this one). Never raises."""
    from django_tenants.migration_executors.base import run_migrations

    started = time.perf_counter()
    try:
        run_migrations(args, options, "fleet", schema_name, allow_atomic=False)
    except Exception as exc:  # reported, and the other schools carry on
        try:
            connection.close()
        except Exception:
            pass
        connection.connection = None
        return SchoolMigration(schema_name, False, time.perf_counter() - started, _first_line(exc))
    finally:
        try:
            tenant_db.set_schema_to_public()
        except Exception:
            pass
    return SchoolMigration(schema_name, True, time.perf_counter() - started)


# Connections a forked worker inherited: kept referenced (never closed or collected), because
# closing them would end the parent's session on the socket they share.
_inherited: list = []


def _forget_inherited_connections() -> None:
    """Pool initializer: the worker builds connections of its own. The parent may be inside a
    transaction (Django does not close a connection in an atomic block), so the ones it had at
    fork time are set aside, untouched."""
    for alias in list(connections.settings):
        wrapper = getattr(connections._connections, alias, None)  # type: ignore[attr-defined]
        if wrapper is None:
            continue
        if wrapper.connection is not None:
            _inherited.append(wrapper.connection)
        delattr(connections._connections, alias)  # type: ignore[attr-defined]


def _worker(job: tuple[tuple, dict, str]) -> SchoolMigration:
    args, options, schema_name = job
    return migrate_one(args, options, schema_name)


def default_workers() -> int:
    return max(1, int(getattr(settings, "FLEET_MIGRATION_WORKERS", 2)))


def migrate_schools(
    schema_names: Sequence[str], *, args: tuple, options: dict, workers: int
) -> Iterator[SchoolMigration]:
    """Migrate each school, yielding outcomes as they finish. With one worker, in this process;
    otherwise in a pool of `workers` forked processes (each with its own connection)."""
    if workers <= 1 or len(schema_names) <= 1:
        for schema_name in schema_names:
            yield migrate_one(args, options, schema_name)
        return
    # Children must not share the parent's socket to PostgreSQL: close it, unless the caller is
    # inside a transaction (closing would end it); the workers set inherited ones aside anyway.
    for wrapper in connections.all(initialized_only=True):
        if not wrapper.in_atomic_block:
            wrapper.close()
    context = multiprocessing.get_context("fork")
    jobs = [(args, options, schema_name) for schema_name in schema_names]
    with context.Pool(
        processes=min(workers, len(jobs)), initializer=_forget_inherited_connections
    ) as pool:
        yield from pool.imap_unordered(_worker, jobs)


class Progress:
    """Counts, rate and estimated time left: a rich progress bar in a terminal, plain lines
    (about twenty per run, plus every failure) in a CI log."""

    def __init__(
        self, total: int, *, write: Callable[[str], None], interactive: bool, stream=None
    ) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.write = write
        self.started = time.perf_counter()
        self._bar = None
        self._every = max(1, total // 20)
        if interactive and total:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import (
                Progress as RichProgress,
            )

            self._bar = RichProgress(
                TextColumn("Migrating schools"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=Console(file=stream or sys.stdout),
                transient=False,
            )
            self._task = self._bar.add_task("migrate", total=total, failed=0)
            self._bar.start()

    def eta(self) -> float:
        elapsed = time.perf_counter() - self.started
        return elapsed / self.done * (self.total - self.done) if self.done else 0.0

    def advance(self, outcome: SchoolMigration) -> None:
        self.done += 1
        if not outcome.ok:
            self.failed += 1
        if self._bar is not None:
            if not outcome.ok:
                self._bar.console.print(f"[red]{outcome.schema_name} failed:[/] {outcome.error}")
            self._bar.update(self._task, advance=1, failed=self.failed)
            return
        if not outcome.ok:
            self.write(f"  {outcome.schema_name}: FAILED: {outcome.error}")
        if not outcome.ok or self.done % self._every == 0 or self.done == self.total:
            self.write(
                f"  [{self.done}/{self.total}] schools migrated, {self.failed} failed, "
                f"{time.perf_counter() - self.started:.1f} s elapsed, about {self.eta():.0f} s left"
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def migrate_fleet(
    schema_names: Iterable[str],
    latest: set[tuple[str, str]],
    *,
    args: tuple,
    options: dict,
    workers: int,
    write: Callable[[str], None],
    interactive: bool,
    stream=None,
) -> tuple[list[str], list[SchoolMigration]]:
    """Skip the schools at the latest state, migrate the others. Returns (skipped, outcomes)."""
    schema_names = list(schema_names)
    behind = schools_behind(schema_names, latest)
    skipped = [s for s in schema_names if s not in set(behind)]
    write(
        f"Schools: {len(schema_names)}; {len(skipped)} already at the latest state, "
        f"{len(behind)} to migrate with {min(workers, max(1, len(behind)))} worker(s)."
    )
    outcomes: list[SchoolMigration] = []
    if not behind:
        return skipped, outcomes
    progress = Progress(len(behind), write=write, interactive=interactive, stream=stream)
    try:
        for outcome in migrate_schools(behind, args=args, options=options, workers=workers):
            outcomes.append(outcome)
            progress.advance(outcome)
    finally:
        progress.close()
        tenant_db.set_schema_to_public()
    return skipped, outcomes
