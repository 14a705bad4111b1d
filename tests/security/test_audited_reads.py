"""Finding 7: every page and GET endpoint that returns pupil-level data leaves an audit row.

The sweep walks the school URLconf: every route that answers a GET with 200 for the SENCo (by
session) and for the trust SEND lead (by API token, reaching the school directly) must have
written at least one SPECIFIC audit row in the school (the API base classes' row naming the
resource and the pupil ids, a page's @audited_page row, or the view's own), unless its view is
marked @no_pupil_data. A row written by the middleware's safety net (a view nobody marked) fails
the sweep."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from apps.audit.models import AuditEvent
from apps.audit.reads import audits_reads
from tests.pupils.conftest import cast  # noqa: F401  (fixture)
from tests.support import in_school

SKIP_PREFIXES = ("static/", "accounts/", "auth/hop/", "invitations/", "healthz", "switch/")


def school_routes():
    """(path template with {name} placeholders, view callback) for every route."""

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry.callback

    for template, callback in walk(get_resolver("sencohub.urls_school").url_patterns):
        template = template.replace("^", "").replace("$", "").replace("\\", "")
        if template.startswith(SKIP_PREFIXES) or "(?P<format>" in template:
            continue
        # <int:pupil_id>, <pk>, (?P<pk>[^/.]+) -> {pupil_id}, {pk}
        template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", template)
        template = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", template)
        if "(" in template or "*" in template:
            continue
        yield "/" + template, callback


def candidate_paths(template: str, ids: list[int]) -> list[str]:
    names = re.findall(r"{(\w+)}", template)
    if not names:
        return [template]
    return [template.format(**dict.fromkeys(names, value)) for value in ids]


def sweep(client, school, ids) -> tuple[list[str], list[str]]:
    covered, unaudited = [], []
    for template, callback in school_routes():
        for path in candidate_paths(template, ids):
            with in_school(school):
                before = AuditEvent.objects.count()
            with in_school(school):
                last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
            response = client.get(path)
            if response.status_code != 200:
                continue
            covered.append(path)
            with in_school(school):
                after = AuditEvent.objects.count()
                rows = list(AuditEvent.objects.filter(id__gt=last or 0))
            if after == before and audits_reads(path, callback):
                unaudited.append(path)
            elif any(row.extra.get("safety_net") for row in rows):
                unaudited.append(f"{path} (only the safety net's generic row)")
            break
    return covered, unaudited


def ids_of(cast):  # noqa: F811
    return [cast["taught"].pk, cast["concern"].pk, cast["other"].pk]


def test_every_page_the_senco_opens_leaves_an_audit_row(cast, people, school_a, client_for):  # noqa: F811
    covered, unaudited = sweep(client_for(people["senco_a"], school_a), school_a, ids_of(cast))
    assert len(covered) >= 10, covered
    assert not unaudited, unaudited


def test_a_send_lead_with_a_token_leaves_an_audit_row_on_every_read(
    cast,  # noqa: F811
    people,
    school_a,
    api_for,
):
    client = api_for(people["trust_send_lead_a"], school_a)
    covered, unaudited = sweep(client, school_a, ids_of(cast))
    api_covered = [p for p in covered if p.startswith("/api/")]
    assert len(api_covered) >= 4, covered
    assert not unaudited, unaudited
    with in_school(school_a):
        assert AuditEvent.objects.filter(
            user_id=people["trust_send_lead_a"].pk, via_trust=True
        ).exists()
        # Reaching the school straight with a token still leaves the drill-down row, once.
        assert (
            AuditEvent.objects.filter(
                user_id=people["trust_send_lead_a"].pk, action="trust_drill_down"
            ).count()
            == 1
        )


def test_the_api_base_classes_record_the_resource_and_the_pupil_ids(
    cast,  # noqa: F811
    people,
    school_a,
    api_for,
):
    from apps.family.models import Contact

    with in_school(school_a):
        contact = Contact.objects.create(
            pupil=cast["taught"], name="Pat Parent", relationship="mother"
        )
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    client = api_for(people["senco_a"], school_a)
    assert client.get("/api/v1/contacts/").status_code == 200
    assert client.get(f"/api/v1/contacts/{contact.pk}/").status_code == 200
    assert client.get("/api/v1/concerns/").status_code == 200
    with in_school(school_a):
        rows = list(AuditEvent.objects.filter(id__gt=last).order_by("id"))
    assert len(rows) == 3, [r.summary for r in rows]
    for row in rows:
        assert not row.extra.get("safety_net")
        assert "Pat" not in row.summary and cast["taught"].first_name not in row.summary
    concerns = rows[2]
    assert concerns.extra["resource"] == "concerns" and concerns.extra["view"] == "list"
    assert cast["concern"].pupil_id in concerns.extra["pupil_ids"]


def test_the_safety_net_logs_an_error_for_a_view_nobody_marked(rf, people, school_a, caplog):
    """A school page that returns pupil data without a row: the middleware writes the generic
    row, flagged, and logs an ERROR naming the view."""
    from django.http import HttpResponse
    from django.urls import ResolverMatch

    from apps.audit.reads import AuditedReadsMiddleware
    from tenants.access import school_access_for

    def forgetful_view(request):
        return HttpResponse("pupil data")

    request = rf.get("/pupils/1/forgotten/")
    request.user = people["senco_a"]
    request.school = school_a
    request.school_access = school_access_for(people["senco_a"], school_a)
    request.resolver_match = ResolverMatch(forgetful_view, (), {}, url_name="forgotten")
    middleware = AuditedReadsMiddleware(lambda r: forgetful_view(r))
    middleware.process_view(request, forgetful_view, (), {})
    with in_school(school_a):
        with caplog.at_level("ERROR", logger="sencohub.audit"):
            middleware(request)
        row = AuditEvent.objects.order_by("-id").first()
    assert row is not None and row.extra.get("safety_net") is True
    assert any("safety net" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("path", ["/api/v1/concerns/", "/concerns/"])
def test_concern_lists_are_audited_with_who_read_them(cast, people, school_a, client_for, path):  # noqa: F811
    client = client_for(people["senco_a"], school_a)
    with in_school(school_a):
        before = AuditEvent.objects.filter(user_id=people["senco_a"].pk).count()
    assert client.get(path).status_code == 200
    with in_school(school_a):
        assert AuditEvent.objects.filter(user_id=people["senco_a"].pk).count() > before


def test_a_generic_read_row_names_the_pupil_by_id_only(cast, people, school_a, api_for):  # noqa: F811
    client = api_for(people["senco_a"], school_a)
    pupil = cast["taught"]
    with in_school(school_a):
        before = set(AuditEvent.objects.values_list("pk", flat=True))
    client.get(f"/api/v1/pupils/{pupil.pk}/")
    with in_school(school_a):
        rows = AuditEvent.objects.exclude(pk__in=before)
        assert rows.filter(pupil_id=pupil.pk).exists()
        for row in rows:
            assert pupil.first_name not in row.summary and pupil.upn not in row.summary
