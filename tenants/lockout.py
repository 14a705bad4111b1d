"""Brute-force protection for everything that checks a password.

Failed attempts are counted per account (the email, hashed) and per client address, in a cache
shared by every host (the "security" cache has no per-school key prefix): 5 wrong passwords for
one account, or 20 from one address, within the window lock that account or address out until
the window has passed, on every host and on the token endpoint alike. A correct password does
not get through a lock. Password reset requests are limited in the same way.

The client address is the connection's peer unless that peer is one of TRUSTED_PROXIES; only
then is X-Forwarded-For read, from the right, skipping our own proxies. A header set by the
client itself is never believed.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone

# Sent once when an account (email) or a client address becomes locked: email, address, until.
# apps.security records it (no pupil data); the lock itself lives only in the cache.
locked_out = Signal()


def _cache() -> BaseCache:
    return caches["security"]


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """The address of the client, believing X-Forwarded-For only from configured proxies."""
    peer = request.META.get("REMOTE_ADDR", "") or "unknown"
    if not _trusted(peer):
        return peer
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    for hop in reversed(forwarded):
        if not _trusted(hop):
            return str(hop)
    return str(forwarded[0]) if forwarded else str(peer)


def _account_key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"lockout:account:{digest}"


def _address_key(address: str) -> str:
    return f"lockout:address:{address}"


@dataclass(frozen=True)
class Lock:
    until: datetime

    @property
    def message(self) -> str:
        local = timezone.localtime(self.until)
        minutes = max(1, round((self.until - timezone.now()).total_seconds() / 60))
        return (
            f"Too many failed sign-in attempts. For your security, signing in is paused until "
            f"{local:%H:%M} (about {minutes} minute{'s' if minutes != 1 else ''}). "
            "If you have forgotten your password, reset it, or ask your SENCo or trust."
        )


def _lock_for(key: str, limit: int) -> Lock | None:
    state = _cache().get(key)
    if not state or state["count"] < limit:
        return None
    until = datetime.fromtimestamp(state["until"], tz=UTC)
    return Lock(until) if until > timezone.now() else None


def sign_in_lock(*, email: str, address: str) -> Lock | None:
    """The lock in force for this account or this address, if any (the later one)."""
    locks = [
        lock
        for lock in (
            _lock_for(_account_key(email), settings.LOCKOUT_ACCOUNT_FAILURES) if email else None,
            _lock_for(_address_key(address), settings.LOCKOUT_ADDRESS_FAILURES),
        )
        if lock
    ]
    return max(locks, key=lambda lock: lock.until) if locks else None


def _count(key: str) -> tuple[int, datetime]:
    cache = _cache()
    window = settings.LOCKOUT_WINDOW_SECONDS
    state = cache.get(key) or {"count": 0}
    state["count"] += 1
    # Each failure extends the window: a slow, steady guesser stays locked out.
    until = timezone.now() + timedelta(seconds=window)
    state["until"] = until.timestamp()
    cache.set(key, state, timeout=window)
    return state["count"], until


def sign_in_failed(*, email: str, address: str) -> None:
    if email:
        count, until = _count(_account_key(email))
        if count == settings.LOCKOUT_ACCOUNT_FAILURES:
            locked_out.send(sender=None, email=email, address=address, until=until)
    count, until = _count(_address_key(address))
    if count == settings.LOCKOUT_ADDRESS_FAILURES:
        locked_out.send(sender=None, email="", address=address, until=until)


def account_lock(email: str) -> Lock | None:
    """The lock on this account (not on an address), if any."""
    return _lock_for(_account_key(email), settings.LOCKOUT_ACCOUNT_FAILURES)


def account_locks(emails: list[str]) -> dict[str, Lock]:
    """Locked accounts among `emails` (one cache round trip)."""
    keys = {_account_key(e): e for e in emails}
    found = _cache().get_many(list(keys))
    locks = {}
    for key, state in found.items():
        if state and state["count"] >= settings.LOCKOUT_ACCOUNT_FAILURES:
            until = datetime.fromtimestamp(state["until"], tz=UTC)
            if until > timezone.now():
                locks[keys[key]] = Lock(until)
    return locks


def account_unlock(email: str) -> None:
    """Lift an account's lock (a trust admin's decision, audited by the caller). A lock on the
    client's address stays."""
    _cache().delete(_account_key(email))


def sign_in_succeeded(*, email: str) -> None:
    _cache().delete(_account_key(email))


def reset_request_allowed(*, email: str, address: str) -> tuple[bool, bool]:
    """(this address may ask now, an email may be sent to this account now).

    Counts the request. Over the address limit the requester is told plainly; over the account
    limit nothing more is sent, and the page says the same as ever (so the answer does not
    reveal whether the account exists)."""
    cache = _cache()
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    allowed = []
    for key, limit in (
        (f"reset:address:{address}", settings.PASSWORD_RESET_PER_ADDRESS),
        (_account_key(email).replace("lockout:", "reset:"), settings.PASSWORD_RESET_PER_ACCOUNT),
    ):
        cache.add(key, 0, timeout=window)
        allowed.append(cache.incr(key) <= limit)
    return allowed[0], allowed[1]
