"""Routing without the database: the school behind a host and a member's standing in it, cached.

Both questions are asked on every school request and almost never change, so their answers live
in the `routing` cache (Redis in production, shared by every web process) and a warm school page
spends no query on routing. The entry for a host holds the School (with its trust) and a random
`generation`; a member's access decision is cached under that generation. Any change to a school,
its domains, its trust, or a membership of the school or trust deletes the host entries of the
schools concerned (at once and again after commit), which also orphans every access decision
cached for them.

Inside a transaction (a test's, or any atomic block) the cache is neither read nor written: the
transaction may hold changes of its own that are not committed (and may roll back), so it asks the
database as before. Requests run in autocommit (no ATOMIC_REQUESTS), so they use the cache.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction

from .access import SchoolAccess, school_access_for
from .models import Domain, School, SchoolMembership, Trust, TrustMembership, User

ALIAS = "routing"
_NO_ACCESS = "-"


def _cache():
    return caches[ALIAS]


def _ttl() -> int:
    return int(getattr(settings, "ROUTING_CACHE_SECONDS", 300))


def _host_key(host: str) -> str:
    return f"host:{host}"


def _access_key(generation: str, user_id: int) -> str:
    return f"access:{generation}:{user_id}"


def _use_cache() -> bool:
    return not connection.in_atomic_block


def school_for_host(host: str) -> School | None:
    """The school served on `host`, or None. Cached; no query when warm."""
    entry = _cache().get(_host_key(host)) if _use_cache() else None
    if entry is not None:
        cached, generation = entry
        cached._routing_generation = generation
        return cached
    domain = Domain.objects.select_related("tenant", "tenant__trust").filter(domain=host).first()
    if domain is None:
        return None  # unknown hosts are not cached: anyone can invent them
    school: School = domain.tenant
    generation = secrets.token_hex(8)
    if _use_cache():
        _cache().set(_host_key(host), (school, generation), _ttl())
    school._routing_generation = generation
    return school


def school_access_cached(user: User, school: School) -> SchoolAccess | None:
    """tenants.access.school_access_for, cached per user under the school's routing generation."""
    if not user.is_authenticated or not user.is_active:
        return None
    generation = getattr(school, "_routing_generation", None)
    if generation is None or not _use_cache():
        return school_access_for(user, school)
    key = _access_key(generation, user.pk)
    cached = _cache().get(key)
    if cached is not None:
        if cached == _NO_ACCESS:
            return None
        school_role, trust_role = cached
        return SchoolAccess(school_id=school.pk, school_role=school_role, trust_role=trust_role)
    access = school_access_for(user, school)
    if _use_cache():
        value = _NO_ACCESS if access is None else (access.school_role, access.trust_role)
        _cache().set(key, value, _ttl())
    return access


def forget_hosts(hosts: Iterable[str]) -> None:
    """Drop the cached routing (and with it every cached access decision) for these hosts, now
    and again once the current transaction commits."""
    keys = [_host_key(h) for h in set(hosts)]
    if not keys:
        return
    _cache().delete_many(keys)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _cache().delete_many(keys))


def forget_schools(school_ids: Iterable[int]) -> None:
    ids = [i for i in set(school_ids) if i is not None]
    if ids:
        forget_hosts(Domain.objects.filter(tenant_id__in=ids).values_list("domain", flat=True))


def forget_trust(trust_id: int | None) -> None:
    if trust_id is not None:
        forget_schools(School.objects.filter(trust_id=trust_id).values_list("pk", flat=True))


# --- invalidation (connected in tenants.signals) ------------------------------------------


def on_school_changed(sender, instance: School, **kwargs) -> None:
    forget_schools([instance.pk])


def on_domain_changed(sender, instance: Domain, **kwargs) -> None:
    hosts = [instance.domain]
    previous = getattr(instance, "_routing_previous_domain", None)
    if previous:
        hosts.append(previous)
    forget_hosts(hosts)


def remember_previous_domain(sender, instance: Domain, **kwargs) -> None:
    if instance.pk:
        instance._routing_previous_domain = (
            Domain.objects.filter(pk=instance.pk).values_list("domain", flat=True).first()
        )


def on_trust_changed(sender, instance: Trust, **kwargs) -> None:
    forget_trust(instance.pk)


def on_school_membership_changed(sender, instance: SchoolMembership, **kwargs) -> None:
    forget_schools([instance.school_id])


def on_trust_membership_changed(sender, instance: TrustMembership, **kwargs) -> None:
    forget_trust(instance.trust_id)
