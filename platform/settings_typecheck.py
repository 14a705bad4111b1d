"""Settings for mypy's Django plugin: the test settings, read without starting the embedded
services, so a plain `mypy` works without a production SECRET_KEY."""

import os

os.environ.setdefault("SENCOHUB_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://mypy@127.0.0.1:1/mypy")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:1/0")

from .settings import *  # noqa: E402,F403
