"""mypy with a baseline that only shrinks.

tenants/ and apps/core/ (and the packages listed as strict in pyproject.toml) must have no
errors at all. Everywhere else, the errors mypy reported when typing was switched on are listed in
.ci/mypy-baseline.txt (file, error code and message; line numbers left out so that edits above an
error do not matter). This fails on any error not in the baseline, and says when the baseline can
shrink. `make typecheck-baseline` rewrites it: do that only to drop fixed errors.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / ".ci" / "mypy-baseline.txt"
# Strict packages may have no errors at all, except modules pyproject.toml still relaxes.
STRICT = (
    "tenants/",
    "apps/core/",
    "apps/agencies/",
    "apps/api_access/",
    "apps/ehcp/",
    "apps/family/",
    "apps/provision/",
    "apps/retention/",
    "apps/school/",
    "apps/security/",
    "apps/staff/",
    "apps/support/",
)
RELAXED = tuple(
    f"{name.replace('.', '/')}.py"
    for name in (
        "tenants.backup",
        "tenants.checks",
        "tenants.fleet",
        "tenants.moving",
        "tenants.routing",
        "tenants.sealed",
    )
)
LINE = re.compile(r"^(?P<path>[^:]+):\d+: error: (?P<message>.*)$")


def run_mypy() -> list[str]:
    env = {
        **os.environ,
        # Settings are read without starting the embedded services.
        "SENCOHUB_TESTING": "1",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgres://mypy@127.0.0.1:1/mypy",
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:1/0",
    }
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    finished = re.search(r"^(Success: no issues found|Found \d+ errors?) ", result.stdout, re.M)
    if result.returncode not in (0, 1) or not finished:
        sys.stdout.write(result.stdout + result.stderr)
        raise SystemExit(f"mypy did not finish its check (exit {result.returncode})")
    errors = []
    for line in result.stdout.splitlines():
        match = LINE.match(line)
        if match:
            errors.append(f"{match['path']}: {match['message']}")
    return errors


def main() -> int:
    current = run_mypy()
    if "--update" in sys.argv:
        BASELINE.write_text("".join(f"{e}\n" for e in sorted(current)))
        print(f"mypy baseline: {len(current)} errors written to {BASELINE.relative_to(ROOT)}")
        return 0
    baseline = Counter(BASELINE.read_text().splitlines()) if BASELINE.exists() else Counter()
    found = Counter(current)
    new = found - baseline
    strict = [e for e in current if e.startswith(STRICT) and not e.startswith(RELAXED)]
    fixed = baseline - found
    for error in sorted(new.elements()):
        print(f"new: {error}")
    for error in strict:
        if error not in new:
            print(f"strict: {error}")
    if fixed:
        print(
            f"mypy: {sum(fixed.values())} baseline error(s) are fixed: run "
            "`make typecheck-baseline` to shrink the baseline."
        )
    if new or strict:
        print(
            f"mypy: {sum(new.values())} new error(s) (not in .ci/mypy-baseline.txt), "
            f"{len(strict)} in strict packages."
        )
        return 1
    print(f"mypy: no new errors ({sum(found.values())} left in the baseline).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
