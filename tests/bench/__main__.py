"""Benchmark runner. Uses its own database (`sencohub_bench`, recreated every run) on the bench
data directory's PostgreSQL, so figures are never polluted by the test or dev data."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path
from urllib.parse import unquote

BENCH_DB = "sencohub_bench"


def _fresh_database() -> None:
    import environ
    import psycopg

    from infra.local_services import ensure_services

    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        os.environ.update(ensure_services())
    url = os.environ["DATABASE_URL"]
    cfg = environ.Env.db_url_config(url)
    with psycopg.connect(
        host=unquote(cfg.get("HOST") or "") or None,
        port=cfg.get("PORT") or None,
        user=cfg.get("USER") or "postgres",
        password=cfg.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    base, _, _ = url.rpartition("/")
    os.environ["DATABASE_URL"] = f"{base}/{BENCH_DB}"


def report(label: str, value, unit: str = "", target: str = "") -> None:
    if isinstance(value, float):
        value = f"{value:.3f}" if value < 100 else f"{value:.0f}"
    line = f"  {label:<62} {value!s:>10} {unit:<8}"
    if target:
        line += f"  (target: {target})"
    print(line, flush=True)


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sencohub.settings")
    os.environ.setdefault("SENCOHUB_TESTING", "1")
    os.environ.setdefault("DB_CONN_MAX_AGE", "0")
    _fresh_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    here = Path(__file__).parent
    names = sorted(
        m.name[len("bench_") :]
        for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_")
    )
    wanted = argv or names
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        print(
            f"Unknown benchmark(s): {', '.join(unknown)}. Available: {', '.join(names)}",
            file=sys.stderr,
        )
        return 2
    for name in wanted:
        print(f"\n== {name} ==", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"tests.bench.bench_{name}").run(report)
        print(f"  ({time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
