"""Provisioning schools by cloning the template schema; subdomain rules; suspend and archive."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_exists

from tenants.models import Domain, School
from tenants.services import school_archive, school_provision, school_reactivate, school_suspend
from tenants.slugs import validate_subdomain

FIELDS = dict(
    phase="primary", local_authority_name="Kirklees", local_authority_code="382", number_on_roll=120
)


def provision(trust, subdomain="gamma", urn="100099", name="Gamma Primary", **extra):
    return school_provision(
        acting_user=None,
        trust=trust,
        name=name,
        urn=urn,
        subdomain=subdomain,
        **{**FIELDS, **extra},
    )


def tables_in(schema: str) -> set[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema]
        )
        return {r[0] for r in cur.fetchall()}


def migrations_in(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cur:
        cur.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        return set(cur.fetchall())


def test_provision_clones_the_migrated_template(trust_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        school = provision(trust_a)
    assert school.schema_name == "gamma"
    assert schema_exists("gamma")
    assert Domain.objects.get(tenant=school).domain == "gamma.localhost"
    # Same tables and the same recorded migrations as the template: nothing replayed, nothing missing.
    assert tables_in("gamma") == tables_in("school_template")
    assert migrations_in("gamma") == migrations_in("school_template")
    assert ("contenttypes", "0002_remove_content_type_name") in migrations_in("gamma")
    assert school.status == School.Status.ACTIVE and school.created_at is not None


def catalogue(schema: str) -> dict[str, set]:
    """Everything about a schema's structure, with its own name taken out."""
    with connection.cursor() as cur:
        cur.execute(
            """SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
                      pg_get_expr(d.adbin, d.adrelid)
               FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
               LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
               WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped""",
            [schema],
        )
        columns = set(cur.fetchall())
        cur.execute(
            "SELECT replace(indexdef, %s, 'S') FROM pg_indexes WHERE schemaname = %s",
            [f"{schema}.", schema],
        )
        indexes = {r[0] for r in cur.fetchall()}
        cur.execute(
            """SELECT c.relname, con.conname, con.contype, replace(pg_get_constraintdef(con.oid), %s, '')
               FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = %s""",
            [f"{schema}.", schema],
        )
        constraints = set(cur.fetchall())
    return {"columns": columns, "indexes": indexes, "constraints": constraints}


def test_clone_has_the_templates_exact_structure(trust_a):
    provision(trust_a)
    template, clone = catalogue("school_template"), catalogue("gamma")
    assert template["columns"] and template["indexes"] and template["constraints"]
    assert clone == template
    with connection.cursor() as cur:
        cur.execute(
            """SELECT count(*) FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'gamma' AND pg_get_constraintdef(con.oid) LIKE '%%school_template%%'"""
        )
        assert cur.fetchone()[0] == 0, "a copied foreign key still points into the template"
        cur.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = 'school_template'")
        template_indexes = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = 'gamma'")
        assert cur.fetchone()[0] == template_indexes


def test_clone_ids_continue_after_the_copied_rows(trust_a, school_context):
    from django.contrib.contenttypes.models import ContentType

    school = provision(trust_a)
    with school_context(school):
        highest = ContentType.objects.order_by("-id").values_list("id", flat=True).first() or 0
        made = ContentType.objects.create(app_label="probe", model="probe")
    assert made.pk > highest


def test_template_has_every_tenant_migration(db):
    """`migrate` keeps the template schema up to date with every tenant app's migrations."""
    from django.apps import apps
    from django.conf import settings
    from django.db.migrations.loader import MigrationLoader

    tenant_labels = {
        c.label
        for c in apps.get_app_configs()
        if any(t == c.name or t.startswith(c.name + ".apps.") for t in settings.TENANT_APPS)
    }
    on_disk = {
        key for key in MigrationLoader(connection).disk_migrations if key[0] in tenant_labels
    }
    assert ("contenttypes", "0001_initial") in on_disk
    assert on_disk <= migrations_in("school_template")


def test_hyphenated_subdomain_maps_to_schema(trust_a):
    school = provision(trust_a, subdomain="st-marys", urn="100098")
    assert school.schema_name == "st_marys" and school.slug == "st-marys"
    assert Domain.objects.get(tenant=school).domain == "st-marys.localhost"


@pytest.mark.parametrize(
    "slug", ["ab", "a" * 41, "Upper", "under_score", "sp ace", "-lead", "trail-", "dot.ted", ""]
)
def test_bad_subdomains_are_refused_with_the_rule(slug):
    with pytest.raises(ValidationError) as info:
        validate_subdomain(slug)
    assert "3 to 40 characters" in str(info.value) or "hyphen" in str(info.value)


@pytest.mark.parametrize("slug", ["www", "api", "admin", "static", "media", "trust", "app", "mail"])
def test_reserved_subdomains_are_refused(trust_a, slug):
    with pytest.raises(ValidationError) as info:
        provision(trust_a, subdomain=slug)
    assert f"“{slug}” is reserved" in info.value.message_dict["subdomain"][0]
    assert not School.objects.filter(urn="100099").exists()


def test_good_subdomains_pass():
    for slug in ("abc", "st-marys-rc", "school2", "a" * 40):
        assert validate_subdomain(slug) == slug


@pytest.mark.parametrize("urn", ["12345", "1234567", "12a456", ""])
def test_urn_must_be_six_digits(trust_a, urn):
    with pytest.raises(ValidationError) as info:
        provision(trust_a, urn=urn)
    assert "urn" in info.value.message_dict
    assert not schema_exists("gamma")


def test_duplicate_urn_leaves_nothing_behind(trust_a, school_a):
    with pytest.raises(ValidationError) as info:
        provision(trust_a, urn=school_a.urn)
    assert "urn" in info.value.message_dict
    assert not schema_exists("gamma")
    assert not Domain.objects.filter(domain="gamma.localhost").exists()


def test_taken_subdomain_is_refused(trust_a, school_a):
    with pytest.raises(ValidationError) as info:
        provision(trust_a, subdomain="alpha")
    assert "already taken" in info.value.message_dict["subdomain"][0]


def test_failure_after_the_row_rolls_back_schema_and_row(trust_a, monkeypatch):
    """A crash half-way (after the row and the schema) leaves no row, no schema, no domain."""
    from tenants import services

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "school_host", boom)
    with pytest.raises(RuntimeError):
        provision(trust_a)
    assert not School.objects.filter(urn="100099").exists()
    assert not schema_exists("gamma")


def test_suspend_archive_reactivate_keep_everything(trust_a, school_context):
    school = provision(trust_a)
    with school_context(school), connection.cursor() as cur:
        cur.execute("CREATE TABLE keepme (id int)")
        cur.execute("INSERT INTO keepme VALUES (1)")
    school_suspend(acting_user=None, school=school)
    school.refresh_from_db()
    assert school.status == School.Status.SUSPENDED and school.status_changed_at
    school_archive(acting_user=None, school=school)
    with pytest.raises(ValidationError):
        school_suspend(acting_user=None, school=school)
    school_reactivate(acting_user=None, school=school)
    assert School.objects.get(pk=school.pk).status == School.Status.ACTIVE
    with school_context(school), connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM keepme")
        assert cur.fetchone()[0] == 1


def test_create_school_command(trust_a):
    call_command(
        "create_school",
        trust="Alpha Learning Trust",
        name="Delta Primary",
        urn="100097",
        subdomain="delta",
        phase="primary",
        la_name="Kirklees",
        la_code="382",
        roll=90,
    )
    school = School.objects.get(urn="100097")
    assert school.trust == trust_a and school.number_on_roll == 90 and schema_exists("delta")


def test_create_school_command_reports_field_errors(trust_a):
    with pytest.raises(CommandError) as info:
        call_command(
            "create_school",
            trust="Alpha Learning Trust",
            name="Delta Primary",
            urn="1",
            subdomain="admin",
            phase="primary",
            la_name="Kirklees",
            la_code="382",
        )
    assert "subdomain:" in str(info.value)
    assert not School.objects.filter(name="Delta Primary").exists()


@pytest.fixture
def fresh_clone_scripts():
    from tenants import cloning

    cloning._scripts.clear()
    yield
    cloning._scripts.clear()


def test_templates_with_views_fall_back_to_the_complete_clone(db, fresh_clone_scripts):
    from tenants.cloning import clone_template

    with connection.cursor() as cur:
        cur.execute("CREATE VIEW school_template.probe_view AS SELECT 1 AS one")
    assert clone_template("school_template", "viewcopy") == "full"
    assert "probe_view" in {r for r in _views("viewcopy")}


def test_a_migrated_template_gets_a_new_copy_script(db, fresh_clone_scripts):
    """The cached script follows the template's migrations: a new migration, a new script."""
    from tenants import cloning

    assert cloning.clone_template("school_template", "before_change") == "tables"
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE school_template.added_later (id int PRIMARY KEY, note text NOT NULL DEFAULT 'x')"
        )
        cur.execute(
            "INSERT INTO school_template.django_migrations (app, name, applied) VALUES ('probe', '0001', now())"
        )
    cloning.clone_template("school_template", "after_change")
    assert "added_later" not in tables_in("before_change")
    assert "added_later" in tables_in("after_change")
    assert len(cloning._scripts) == 2


def test_plain_templates_use_the_table_copy(db, fresh_clone_scripts):
    from tenants.cloning import clone_template

    assert clone_template("school_template", "tablecopy") == "tables"
    assert tables_in("tablecopy") == tables_in("school_template")


def _views(schema: str) -> set[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT table_name FROM information_schema.views WHERE table_schema = %s", [schema]
        )
        return {r[0] for r in cur.fetchall()}
