"""Read-only reasons for a school. Other packages (billing) register their own checks here so the
billing gate needs no knowledge of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

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


V = TypeVar("V", bound=Callable[..., Any])
T = TypeVar("T")


def reads_only(view: V) -> V:
    """Mark a view (or a DRF action) whose POST only reads: a search, or an export download.
    A read-only school still accepts it, because staff may read and export everything."""
    view.reads_only = True  # type: ignore[attr-defined]
    return view


def view_reads_only(view_func: Callable[..., Any], method: str | None) -> bool:
    if getattr(view_func, "reads_only", False):
        return True
    # DRF: the handler for this method on the view class (or viewset action).
    cls = getattr(view_func, "cls", None)
    if cls is None:
        return False
    actions = getattr(view_func, "actions", None) or {}
    name = (method or "").lower()
    handler = getattr(cls, actions.get(name, name), None)
    return bool(getattr(handler, "reads_only", False))


def per_request(school: School, key: str, compute: Callable[[], T]) -> T:
    """compute() once per request for this school (the billing banner and the read-only gate ask
    the same question on one page). Outside a request it simply computes."""
    memo = getattr(school, "_request_memo", None)
    if memo is None:
        return compute()
    if key not in memo:  # memo: dict[str, Any], set by the billing gate
        memo[key] = compute()
    result: T = memo[key]
    return result
