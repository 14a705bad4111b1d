"""The trust library from a school's side: the SENCo shares the school's strategies,
interventions and agency entries with the trust, seeing first which words of the wording match a
name on the roll (and cannot publish until none does), and withdraws what the school shared.
Trust staff are refused here: what leaves a school is the school's own SENCo's choice."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.audit.reads import audited_page
from apps.core.forms import add_service_errors
from apps.pupils.names import highlighted
from tenants.models import User

from .. import selectors, services
from ..access import SCHOOL_LIBRARY_RIGHTS, get_published_item_for_write
from ..forms import ShareForm
from ..library import LibraryItemType, item_types
from ..models import LibraryItem

SHARED_FIELDS = ("title", "summary", "body")


def _require_publisher(request: HttpRequest) -> None:
    SCHOOL_LIBRARY_RIGHTS.require(getattr(request, "school_access", None), "share_with_trust")


def _school_kinds() -> dict[str, LibraryItemType]:
    return {k: t for k, t in item_types().items() if t.snapshot is not None and t.sources}


@audited_page("strategies to share with the trust library")
def library(request: HttpRequest) -> HttpResponse:
    _require_publisher(request)
    school = request.school  # type: ignore[attr-defined]
    kinds = _school_kinds()
    sections = []
    for kind in kinds.values():
        assert kind.sources is not None
        sections.append({"kind": kind, "sources": kind.sources(school)})
    published = list(
        LibraryItem.objects.filter(source_school=school, item_type__in=list(kinds))
        .select_related("published_by")
        .order_by("withdrawn_at", "-published_at")[:200]
    )
    for item in published:
        item.kind_label = kinds[item.item_type].label  # type: ignore[attr-defined]
    return render(
        request,
        "trust/school_library.html",
        {
            "sections": sections,
            "published": published,
            "page_title": "Share with the trust library",
        },
    )


def library_share(request: HttpRequest, kind: str, ref: str) -> HttpResponse:
    _require_publisher(request)
    school = request.school  # type: ignore[attr-defined]
    item_kind = _school_kinds().get(kind)
    if item_kind is None or item_kind.sources is None or item_kind.snapshot is None:
        raise Http404("No such kind of item.")
    if ref not in {r for r, _ in item_kind.sources(school)}:
        raise Http404("No such item in this school's catalogue.")
    snapshot = item_kind.snapshot(ref)
    initial = {f: str(snapshot.get(f, "") or "") for f in SHARED_FIELDS}
    form = ShareForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.library_publish(
                acting_user=cast(User, request.user),
                trust=school.trust,
                school=school,
                item_type_key=item_kind.key,
                source_ref=ref,
                **{f: form.cleaned_data[f] for f in SHARED_FIELDS},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{item.title}” is now in the trust library.")
            return redirect("school-library")
    wording = {f: form.data.get(f, "") for f in SHARED_FIELDS} if form.is_bound else dict(initial)
    # What the SENCo is shown: the words matching a name on the roll, field by field.
    named = selectors.names_in_library_text(school, wording)
    checks = [
        {
            "field": form[f].label or f,
            "matches": named[f],
            "pieces": highlighted(wording[f], named[f]),
        }
        for f in SHARED_FIELDS
        if f in named
    ]
    return render(
        request,
        "trust/school_library_share.html",
        {
            "form": form,
            "kind": item_kind,
            "checks": checks,
            "page_title": f"Share a {item_kind.label.lower()}",
        },
        status=200,
    )


@require_POST
def library_withdraw(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_published_item_for_write(request.user, request.school, item_id)  # type: ignore[attr-defined]
    services.library_withdraw(acting_user=cast(User, request.user), item=item)
    messages.success(request, f"“{item.title}” has been withdrawn from the trust library.")
    return redirect("school-library")
