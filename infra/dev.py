"""`make run`: start the local services, migrate, seed the demo if empty, then run the web server,
a Celery worker and Celery beat together in the foreground. Ctrl-C stops all three."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def banner(port: str) -> str:
    from apps.core.demo import DEMO_PASSWORD

    return f"""
  SENCo Hub is running.

  Trust console   http://localhost:{port}/
  Schools         http://oakfield.localhost:{port}/   http://birchwood.localhost:{port}/
                  http://cedar.localhost:{port}/      http://riverside.localhost:{port}/
  API docs        http://oakfield.localhost:{port}/api/v1/docs/

  Demo logins (password for all: {DEMO_PASSWORD})
    trust.admin@northbrook.example   trust admin (console, billing)
    send.lead@northbrook.example     trust SEND lead (dashboards, drill-down)
    finance@northbrook.example       trust finance
    senco@northbrook.example         shared SENCo: oakfield, birchwood, cedar
    senco.riverside@northbrook.example  SENCo at riverside
    head.oakfield@northbrook.example  headteacher (also head.birchwood, head.cedar, head.riverside)
    teacher.oakfield@northbrook.example, ta.oakfield@northbrook.example  (likewise per school)

  Ctrl-C stops everything.
"""


def main() -> int:
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("SENCOHUB_DATA_DIR", str(ROOT / ".data" / "dev"))
    sys.path.insert(0, str(ROOT))
    from infra.local_services import ensure_services

    os.environ.update(ensure_services())
    manage = [str(BIN / "python"), str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True)
    subprocess.run([*manage, "seed_demo", "--if-empty"], check=True)
    port = os.environ.get("PORT", "8000")
    os.environ.setdefault("PLATFORM_PORT", f":{port}")
    procs = {
        "web": [
            *manage,
            "runserver",
            f"0.0.0.0:{port}",
        ],
        "worker": [str(BIN / "celery"), "-A", "sencohub", "worker", "-l", "INFO", "-c", "2"],
        "beat": [
            str(BIN / "celery"),
            "-A",
            "sencohub",
            "beat",
            "-l",
            "INFO",
            "-s",
            str(Path(os.environ["SENCOHUB_DATA_DIR"]) / "celerybeat-schedule"),
        ],
    }
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sencohub.settings")
    import django

    django.setup()
    print(banner(port), flush=True)
    running = {
        name: subprocess.Popen(cmd, cwd=ROOT, start_new_session=True) for name, cmd in procs.items()
    }

    def stop(*_):
        for p in running.values():
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        deadline = time.time() + 10
        for p in running.values():
            try:
                p.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while True:
        for name, p in running.items():
            if p.poll() is not None:
                print(f"{name} stopped (exit {p.returncode}); stopping the others.", flush=True)
                stop()
        time.sleep(0.5)


if __name__ == "__main__":
    raise SystemExit(main())
