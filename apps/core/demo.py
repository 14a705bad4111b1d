"""Demo data registry. seed_demo creates the trust, schools and people; each domain package
registers a seeder (in its AppConfig.ready) that fills a school's schema with its own synthetic
records, so new features add demo data without touching the command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random

DEMO_PASSWORD = "northbrook-demo"


@dataclass
class DemoSchool:
    school: object  # tenants.models.School
    staff: dict[str, object] = field(
        default_factory=dict
    )  # role key -> User ("senco", "teacher", ...)


# (order, name, fn(demo_school, rng)) run inside the school's schema.
SchoolSeeder = Callable[[DemoSchool, Random], None]
_school_seeders: list[tuple[int, str, SchoolSeeder]] = []
# (order, name, fn(trust, demo_schools, rng)) run in public after every school is seeded.
TrustSeeder = Callable[[object, list[DemoSchool], object], None]
_trust_seeders: list[tuple[int, str, TrustSeeder]] = []


def register_school_seeder(name: str, fn: SchoolSeeder, order: int = 100) -> None:
    if all(n != name for _, n, _ in _school_seeders):
        _school_seeders.append((order, name, fn))
        _school_seeders.sort(key=lambda x: x[0])


def register_trust_seeder(name: str, fn: TrustSeeder, order: int = 100) -> None:
    if all(n != name for _, n, _ in _trust_seeders):
        _trust_seeders.append((order, name, fn))
        _trust_seeders.sort(key=lambda x: x[0])


def school_seeders() -> list[tuple[int, str, SchoolSeeder]]:
    return list(_school_seeders)


def trust_seeders() -> list[tuple[int, str, TrustSeeder]]:
    return list(_trust_seeders)
