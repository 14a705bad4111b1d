"""Brute-force protection for everything that checks a password.

Failed attempts are counted per account (the email, hashed) and per client address, in a cache
shared by every host (the "security" cache has no per-school key prefix): 5 wrong passwords for
one account, or 20 from one address, within the window lock that account or address out until
the window has passed, on every host and on the token endpoint alike. A correct password does
not get through a lock. Password reset requests are limited in the same way.

The client address is the connection's peer unless that peer is one of TRUSTED_PROXIES; only
then is X-Forwarded-For read, from the right, skipping our own proxies. A header set by the
client itself is never believed.

An address's state also keeps which trusts the attempts concerned (the school host they were
made on, the trusts of the person whose email was tried), so that each of those trusts' admins
can see the address while it is locked and lift the lock (apps.security): a whole school behind
one NAT address must not wait for the window to pass. Attempts refused during the lock add their
trusts too (the school's own staff, locked out by someone else's guessing).
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone

# Sent once when an account (email) or a client address becomes locked: email ("" for an
# address), address, until, trust_ids (the trusts the address's attempts concerned); and again
# for an address lock when refused attempts concern trusts not yet told (only those trust_ids).
# apps.security records it (no pupil data); the lock itself lives only in the cache.
locked_out = Signal()

# At most this many trusts are remembered for one address (a guesser cycling through every
# trust's people must not grow the state without bound).
MAX_TRUSTS_PER_ADDRESS = 50


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


def normalised_address(address: str) -> str:
    """One spelling per address (IPv6 has many), so a lock is found whatever wrote it."""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return address


def _address_key(address: str) -> str:
    return f"lockout:address:{normalised_address(address)}"


@dataclass(frozen=True)
class Lock:
    until: datetime
    # True: the lock is on the client's network address (everyone behind it), not the account.
    on_address: bool = False

    @property
    def message(self) -> str:
        local = timezone.localtime(self.until)
        minutes = max(1, round((self.until - timezone.now()).total_seconds() / 60))
        when = f"until {local:%H:%M} (about {minutes} minute{'s' if minutes != 1 else ''})"
        if self.on_address:
            return (
                "Too many failed sign-in attempts have come from your network, so signing in "
                f"from it is paused for everyone on it {when}. Your trust's admin can lift the "
                "pause sooner (Sign-in security, on the trust console). If you have forgotten "
                "your password, reset it."
            )
        return (
            f"Too many failed sign-in attempts. For your security, signing in is paused {when}. "
            "If you have forgotten your password, reset it, or ask your SENCo or trust."
        )


def _lock_for(key: str, limit: int, *, on_address: bool = False) -> Lock | None:
    state = _cache().get(key)
    if not state or state["count"] < limit:
        return None
    until = datetime.fromtimestamp(state["until"], tz=UTC)
    return Lock(until, on_address=on_address) if until > timezone.now() else None


def sign_in_lock(*, email: str, address: str) -> Lock | None:
    """The lock in force for this account or this address, if any (the later one)."""
    locks = [
        lock
        for lock in (
            _lock_for(_account_key(email), settings.LOCKOUT_ACCOUNT_FAILURES) if email else None,
            _lock_for(_address_key(address), settings.LOCKOUT_ADDRESS_FAILURES, on_address=True),
        )
        if lock
    ]
    return max(locks, key=lambda lock: lock.until) if locks else None


def _count(key: str, trust_ids: Collection[int] = ()) -> tuple[int, datetime, list[int]]:
    cache = _cache()
    window = settings.LOCKOUT_WINDOW_SECONDS
    state = cache.get(key) or {"count": 0}
    state["count"] += 1
    # Each failure extends the window: a slow, steady guesser stays locked out.
    until = timezone.now() + timedelta(seconds=window)
    state["until"] = until.timestamp()
    trusts = list(state.get("trusts", []))
    for trust_id in trust_ids:
        if trust_id not in trusts and len(trusts) < MAX_TRUSTS_PER_ADDRESS:
            trusts.append(trust_id)
    state["trusts"] = trusts
    cache.set(key, state, timeout=window)
    return state["count"], until, trusts


def sign_in_failed(*, email: str, address: str, trust_ids: Collection[int] = ()) -> None:
    """A wrong password (or an unknown email) from `address`; `trust_ids`: the trusts the attempt
    concerned (the school host's, the trusts of the person whose email was tried)."""
    if email:
        count, until, _ = _count(_account_key(email))
        if count == settings.LOCKOUT_ACCOUNT_FAILURES:
            locked_out.send(sender=None, email=email, address=address, until=until, trust_ids=[])
    count, until, trusts = _count(_address_key(address), trust_ids)
    if count == settings.LOCKOUT_ADDRESS_FAILURES:
        locked_out.send(sender=None, email="", address=address, until=until, trust_ids=trusts)


def address_lock_refused(*, address: str, trust_ids: Collection[int]) -> None:
    """A sign-in was refused because `address` is locked: remember the trusts it concerned, and
    tell those not told yet (their admin then sees the lock and can lift it)."""
    cache = _cache()
    key = _address_key(address)
    state = cache.get(key)
    if not state or state["count"] < settings.LOCKOUT_ADDRESS_FAILURES:
        return
    known = list(state.get("trusts", []))
    new = [t for t in dict.fromkeys(trust_ids) if t not in known]
    new = new[: max(0, MAX_TRUSTS_PER_ADDRESS - len(known))]
    if not new:
        return
    until = datetime.fromtimestamp(state["until"], tz=UTC)
    remaining = int((until - timezone.now()).total_seconds())
    if remaining <= 0:
        return
    state["trusts"] = known + new
    cache.set(key, state, timeout=remaining)
    locked_out.send(sender=None, email="", address=address, until=until, trust_ids=new)


def address_lock(address: str) -> Lock | None:
    """The lock on this client address (not on an account), if any."""
    return _lock_for(_address_key(address), settings.LOCKOUT_ADDRESS_FAILURES, on_address=True)


def address_locks(addresses: list[str]) -> dict[str, Lock]:
    """Locked addresses among `addresses` (one cache round trip), keyed as given."""
    keys = {_address_key(a): a for a in addresses}
    found = _cache().get_many(list(keys))
    locks = {}
    for key, state in found.items():
        if state and state["count"] >= settings.LOCKOUT_ADDRESS_FAILURES:
            until = datetime.fromtimestamp(state["until"], tz=UTC)
            if until > timezone.now():
                locks[keys[key]] = Lock(until, on_address=True)
    return locks


def address_unlock(address: str) -> bool:
    """Lift the lock on a client address (a trust admin's decision, audited by the caller).
    True if this call removed a lock in force: of two concurrent lifts, one wins."""
    key = _address_key(address)
    if address_lock(address) is None:
        return False
    return bool(_cache().delete(key))


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
