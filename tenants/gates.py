"""Read-only reasons for a school. Other packages (billing) register their own checks here so the
billing gate needs no knowledge of them."""

from __future__ import annotations

from collections.abc import Callable

from .models import School

ReadOnlyCheck = Callable[[School], "str | None"]
_read_only_checks: list[ReadOnlyCheck] = []


def register_read_only_check(check: ReadOnlyCheck) -> ReadOnlyCheck:
    if check not in _read_only_checks:
        _read_only_checks.append(check)
    return check


@register_read_only_check
def _suspended(school: School) -> str | None:
    if school.status == School.Status.SUSPENDED:
        return "This school's account is suspended, so SENCo Hub is read-only: you can read and export everything, but not change anything."
    return None


def read_only_reason(school: School) -> str | None:
    for check in _read_only_checks:
        reason = check(school)
        if reason:
            return reason
    return None
