#!/usr/bin/env bash
# Security scanning (make audit; CI runs it before the tests). Fails on:
# - a Python dependency with a known vulnerability (pip-audit, PyPI's advisory database);
# - a high-severity finding in our own code (bandit);
# - a high or critical advisory for a front-end runtime package (npm audit).
# An advisory service that cannot be reached is reported loudly, not mistaken for a clean bill.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
status=0

echo "== pip-audit (Python dependencies)"
pip_out=$($BIN/pip-audit --skip-editable --progress-spinner off 2>&1) || status=1
echo "$pip_out" | grep -v "could not be audited"
skipped=$(grep -c "could not be audited" <<<"$pip_out")
if [ "$skipped" -gt 0 ]; then
  echo "WARNING: $skipped Python packages could not be looked up in PyPI's advisory data: NOT checked"
fi

echo "== bandit (our code, high severity)"
$BIN/bandit -q -r apps tenants platform infra --severity-level high || status=1

echo "== npm audit (front-end runtime packages, high and critical)"
NPM=$(command -v npm || echo "$BIN/npm")
out=$(PATH="$PWD/$BIN:$PATH" "$NPM" audit --omit=dev --audit-level=high 2>&1)
rc=$?
echo "$out"
if [ $rc -ne 0 ]; then
  if grep -q "audit endpoint returned an error\|ENOTFOUND\|ECONNREFUSED\|EAI_AGAIN" <<<"$out"; then
    echo "WARNING: npm's advisory service could not be reached: front-end packages NOT checked"
  else
    status=1
  fi
fi
exit $status
