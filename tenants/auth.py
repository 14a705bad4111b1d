from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from . import lockout
from .models import SchoolMembership, TrustMembership, User


def trusts_concerned(request: HttpRequest | None, email: str) -> list[int]:
    """The trusts a sign-in attempt concerns: the trust of the school host it was made on, and
    the trusts of the person whose email was tried (none for an unknown email on the platform
    host). Their admins see the address if it gets locked out (tenants.lockout)."""
    ids: set[int] = set()
    school = getattr(request, "school", None) if request is not None else None
    if school is not None:
        ids.add(school.trust_id)
    if email:
        ids.update(
            TrustMembership.objects.filter(user__email__iexact=email).values_list(
                "trust_id", flat=True
            )
        )
        ids.update(
            SchoolMembership.objects.filter(user__email__iexact=email).values_list(
                "school__trust_id", flat=True
            )
        )
    return sorted(ids)


class EmailBackend(ModelBackend):
    """Sign in with email (case-insensitive) and password, within the brute-force limits
    (tenants.lockout): while an account or address is locked, even the right password fails,
    and `request.sign_in_lock` says until when."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        email: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = (email or username or "").strip()
        if not email or password is None:
            return None
        address = lockout.client_address(request) if request is not None else "internal"
        lock = lockout.sign_in_lock(email=email, address=address)
        if lock is not None:
            if request is not None:
                request.sign_in_lock = lock  # type: ignore[attr-defined]
            if lock.on_address:
                lockout.address_lock_refused(
                    address=address, trust_ids=trusts_concerned(request, email)
                )
            raise PermissionDenied(lock.message)  # stops every other backend too
        try:
            user = User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            User().set_password(password)  # same work either way: no timing oracle
            lockout.sign_in_failed(
                email=email, address=address, trust_ids=trusts_concerned(request, email)
            )
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            lockout.sign_in_succeeded(email=email)
            return user
        lockout.sign_in_failed(
            email=email, address=address, trust_ids=trusts_concerned(request, email)
        )
        return None
