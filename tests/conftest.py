"""The isolation harness.

Session-wide, committed once: two trusts, each with one school (`school_a` in `trust_a`,
`school_b` in `trust_b`), and people in every role of school A, a SENCo of school B, trust staff of
trust A, and an outsider with no memberships. Tests run in a transaction that is rolled back.

Per test:
- `client_for(user, school=None)` – a browser-like client signed in on that school's host (or the
  platform host);
- `api_for(user, school=None)` – a DRF client authenticated by token;
- `twin_rows(make)` – calls make() once in each school with the sequences aligned, so the two
  schools hold rows with the same ids: isolation tests can ask school A for school B's id.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.support import (
    give_mfa_device,
    in_school,
    mfa_code,
    signed_in_client,
    start_worker,
    stop_process,
    token_client,
)

PASSWORD = "correct-horse-battery"
# One Celery queue per test session: the worker fixture consumes it, and the test process and the
# gunicorn started by `web_server` publish to it, so tasks queued anywhere reach the test worker.
TEST_QUEUE = f"test-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """Always create the test database, even when the only tests selected use `committed`
    (pytest-django would otherwise skip it and leave connections on the real database)."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=request.config.option.verbose, interactive=False, aliases={"default"}
        )
    yield
    with django_db_blocker.unblock():
        # Servers and workers started by the tests may still hold connections for a moment.
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture(scope="session")
def harness(django_db_setup, django_db_blocker):
    from tenants.models import Trust, User
    from tenants.roles import SchoolRole, TrustRole
    from tenants.services import school_membership_set, school_provision, trust_membership_set

    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_"), (
            "the harness must only ever touch the test database"
        )
        trust_a = Trust.objects.create(name="Alpha Learning Trust")
        trust_b = Trust.objects.create(name="Beta Schools Trust")
        common = dict(
            phase="primary",
            local_authority_name="Kirklees",
            local_authority_code="382",
            number_on_roll=200,
        )
        school_a = school_provision(
            acting_user=None,
            trust=trust_a,
            name="Alpha Primary",
            urn="100001",
            subdomain="alpha",
            **common,
        )
        school_b = school_provision(
            acting_user=None,
            trust=trust_b,
            name="Beta Primary",
            urn="100002",
            subdomain="beta",
            **common,
        )

        def person(key: str) -> User:
            return User.objects.create_user(
                email=f"{key}@example.test",
                password=PASSWORD,
                full_name=key.replace("_", " ").title(),
            )

        people = {}
        for role in SchoolRole.values:
            people[f"{role}_a"] = person(f"{role}_a")
            school_membership_set(
                acting_user=None, user=people[f"{role}_a"], school=school_a, role=role
            )
        people["senco_b"] = person("senco_b")
        school_membership_set(
            acting_user=None, user=people["senco_b"], school=school_b, role=SchoolRole.SENCO
        )
        for role in TrustRole.values:
            people[f"trust_{role}_a"] = person(f"trust_{role}_a")
            trust_membership_set(
                acting_user=None, user=people[f"trust_{role}_a"], trust=trust_a, role=role
            )
        people["trust_admin_b"] = person("trust_admin_b")
        trust_membership_set(
            acting_user=None,
            user=people["trust_admin_b"],
            trust=trust_b,
            role=TrustRole.TRUST_ADMIN,
        )
        people["outsider"] = person("outsider")
        # Everyone whose role needs two-step sign-in has an authenticator (tests.support).
        from apps.security.mfa import mfa_required

        for user in list(people.values()):
            if mfa_required(user):
                give_mfa_device(user)
    return {
        "trust_a": trust_a,
        "trust_b": trust_b,
        "school_a": school_a,
        "school_b": school_b,
        **people,
    }


_DB_BLOCKER: list = []


@pytest.fixture(scope="session", autouse=True)
def _remember_db_blocker(django_db_blocker):
    """sign_in_browser (a plain function) reads two-step codes from the database."""
    _DB_BLOCKER[:] = [django_db_blocker]
    yield


@pytest.fixture(autouse=True)
def _fresh_brute_force_counters():
    """Failed sign-ins are counted per address in Redis (tenants.lockout), and every test client
    comes from 127.0.0.1: start each test with no failures carried over from another."""
    from django.core.cache import caches

    cache = caches["security"]
    for pattern in ("lockout:*", "reset:*", "throttle_*"):
        cache.delete_pattern(pattern)


def _fresh(harness: dict, key: str):
    harness[key].refresh_from_db()  # tests may change it; the change itself is rolled back
    return harness[key]


@pytest.fixture
def school_a(harness, db):
    return _fresh(harness, "school_a")


@pytest.fixture
def school_b(harness, db):
    return _fresh(harness, "school_b")


@pytest.fixture
def trust_a(harness, db):
    return _fresh(harness, "trust_a")


@pytest.fixture
def trust_b(harness, db):
    return _fresh(harness, "trust_b")


@pytest.fixture
def in_a(school_a):
    """The test runs in school A's schema."""
    with in_school(school_a):
        yield school_a


@pytest.fixture
def in_b(school_b):
    """The test runs in school B's schema."""
    with in_school(school_b):
        yield school_b


@pytest.fixture
def people(harness, db):
    return harness


@pytest.fixture
def client_for(db):
    return lambda user, school=None: signed_in_client(user, school)


@pytest.fixture
def api_for(db):
    return lambda user, school=None: token_client(user, school)


@pytest.fixture
def school_context():
    return in_school


@pytest.fixture
def twin_rows(school_a, school_b):
    """make() is called in school A then in school B; both rows get the same id."""

    def run(make):
        rows = []
        for school in (school_a, school_b):
            with in_school(school):
                rows.append(make(school))
        a, b = rows
        if a.pk != b.pk:
            # Align the sequences and make the pair again.
            model = type(a)
            table = model._meta.db_table
            target = max(a.pk, b.pk) + 1
            rows = []
            for school in (school_a, school_b):
                with in_school(school), connection.cursor() as cur:
                    cur.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                        [f'"{school.schema_name}"."{table}"', target],
                    )
                with in_school(school):
                    rows.append(make(school))
            a, b = rows
        assert a.pk == b.pk, "twin rows must share an id"
        return a, b

    return run


class _Committed:
    def __init__(self) -> None:
        self._cleanups: list = []

    def cleanup(self, fn, *args, **kwargs) -> None:
        """Run fn(*args, **kwargs) after the test, last registered first."""
        self._cleanups.append((fn, args, kwargs))

    def school(self, **fields):
        """Provision a committed school; it and its schema are dropped after the test."""
        from tenants.services import school_provision

        school = school_provision(acting_user=None, **fields)
        self.cleanup(lambda: school.delete(force_drop=True))
        return school


@pytest.fixture
def committed(request, harness, django_db_blocker):
    """Database access WITHOUT the per-test transaction: rows are really committed, so another
    process (the Celery worker, a gunicorn server, a browser) can see them. Register a cleanup for
    everything you create (`committed.cleanup(obj.delete)`, `committed.school(...)`).

    Take schools and people from `harness[...]` (the school_a/people fixtures open a transaction).
    Use this instead of pytest-django's `transactional_db`, which would flush every table –
    including the session-wide harness – and is therefore refused below."""
    if "db" in request.fixturenames:
        raise pytest.UsageError(
            "`committed` cannot be combined with fixtures that open a test transaction (db, "
            "school_a, people, client_for, ...): take schools and people from `harness[...]`."
        )
    state = _Committed()
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        try:
            yield state
        finally:
            connection.set_schema_to_public()
            for fn, args, kwargs in reversed(state._cleanups):
                fn(*args, **kwargs)
            connection.set_schema_to_public()


@pytest.fixture
def transactional_db():
    raise pytest.UsageError(
        "transactional_db flushes every table, including the session harness. "
        "Use the `committed` fixture (tests/conftest.py) and clean up what you create."
    )


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, tmp_path_factory):
    """A real Celery worker process consuming a queue of its own, on the test database."""
    from sencohub.celery import app

    queue = TEST_QUEUE
    mail_dir = tmp_path_factory.mktemp("mail")
    log = tmp_path_factory.mktemp("logs") / "worker.log"
    proc = start_worker(
        queue,
        log,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    )
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield {"queue": queue, "mail_dir": Path(mail_dir), "log": log, "app": app}
    finally:
        app.conf.task_default_queue = previous
        stop_process(proc)


@pytest.fixture(scope="session")
def web_server(harness, tmp_path_factory):
    """A real gunicorn serving the test database on a free port (session-wide).

    `web_server.url(school, "/path/")` gives the address on a school's host (Chromium resolves
    every *.localhost name to this machine), `web_server.url(None, ...)` the platform host. Only
    committed rows are visible to it: the harness, or rows made with the `committed` fixture."""
    from tests.support import free_port, start_web_server

    port = free_port()
    log = tmp_path_factory.mktemp("web") / "gunicorn.log"
    proc = start_web_server(port, log, CELERY_QUEUE=TEST_QUEUE)

    class Server:
        def url(self, school=None, path="/"):
            from tests.support import host_for

            return f"http://{host_for(school)}:{port}{path}"

    server = Server()
    server.port, server.log = port, log
    try:
        yield server
    finally:
        stop_process(proc)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright (tests marked e2e)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls tests make around
    # it are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=browser_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
            ],
        )
        try:
            yield instance
        finally:
            instance.close()


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def page(browser, request):
    """A browser tab at 1366 px (a test marked `@pytest.mark.phone` gets a 390 px one). axe-core
    checks every page it loads (tests/e2e/axe.py); a violation fails the test."""
    from tests.e2e.axe import watch

    phone = request.node.get_closest_marker("phone") is not None
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP,
        locale="en-GB",
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    findings = watch(tab)
    try:
        yield tab
    finally:
        context.close()
    assert not findings, "axe-core found accessibility violations:\n" + "\n".join(findings)


def sign_in_browser(page, web_server, school, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real forms on the school's (or platform's) host: the password, then
    the two-step code when asked (setting up the authenticator first if the user has none)."""
    page.goto(web_server.url(school, "/accounts/sign-in/"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/two-step/set-up/" in page.url:
        secret = page.get_by_test_id("mfa-secret").inner_text()
        page.get_by_label("Code from the app").fill(mfa_code(key=secret))
        page.get_by_role("button", name="Turn on two-step sign-in").click()
        page.get_by_role("link", name="Continue").click()
        page.wait_for_load_state()
    elif "/accounts/two-step/" in page.url:
        from tenants.models import User

        # Browser tests may hold no database fixture: the code is read (and the device's
        # last-used step reset) with the database unblocked for a moment.
        with _DB_BLOCKER[0].unblock():
            code = mfa_code(User.objects.get(email__iexact=email))
        page.get_by_label("Code", exact=True).fill(code)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


def browser_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(autouse=True)
def _covered_routes_really_called(request):
    """A test marked @covers (tests/http/contract.py) must send a request to every route it
    claims. Tests in tests/http are checked by their `api` fixture; any other such test has its
    requests/httpx requests recorded here."""
    marker = request.node.get_closest_marker("covers")
    if marker is None or "reached" in request.fixturenames:
        yield
        return
    from tests.http.contract import recording_requests

    with recording_requests() as reached:
        yield
    if not getattr(request.node, "rep_call_failed", True):
        missing = set(marker.args) - reached
        assert not missing, f"this test claims to cover {sorted(missing)} but never called them"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call_failed = report.failed
    return report


def pytest_collection_modifyitems(config, items):
    if browser_path():
        return
    reason = "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)"
    for item in items:
        if "e2e" in item.keywords:
            if os.environ.get("SENCOHUB_REQUIRE_BROWSER"):
                item.add_marker(pytest.mark.xfail(reason=reason, strict=True, run=False))
                raise pytest.UsageError(f"Browser tests required but {reason}")
            item.add_marker(pytest.mark.skip(reason=reason))
