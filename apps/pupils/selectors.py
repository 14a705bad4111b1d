"""Reads of pupil records, always through what the person may see (see access.py).

Other packages use:
- visible_pupils(access, user): every pupil the person may see (queryset);
- pupil_for(access, user, pupil_id): one pupil, or Http404 when not visible (same answer for
  "does not exist" and "not yours", so ids cannot be probed);
- register_queryset / register_counts: the filtered register and its figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from .models import PupilQuerySet

from .access import can, visible_pupils
from .codes import (
    NATIONAL_EHC_PLAN_PERCENT,
    NATIONAL_SEN_SUPPORT_PERCENT,
    YEAR_GROUPS,
    Provision,
    codes_in_area,
)
from .models import (
    Concern,
    Pupil,
    PupilProfile,
    SenHistory,
    TAAssignment,
    TeachingGroup,
    TeachingGroupStaff,
)
from .rules import term_start

__all__ = [
    "RegisterFilters",
    "visible_pupils",
    "pupil_for",
    "register_queryset",
    "register_counts",
    "school_figures",
    "visible_concerns",
    "open_concerns",
    "staff_names",
    "school_staff",
    "visible_groups",
]

FLAG_FIELDS = {
    "eal": ("eal", "EAL"),
    "pupil_premium": ("pupil_premium", "Pupil premium"),
    "free_school_meals": ("free_school_meals", "Free school meals"),
    "looked_after": ("looked_after", "Looked-after"),
    "medical": (None, "Medical needs"),
}
PROVISION_FILTERS = {
    "register": "On the register (K and E)",
    "K": "SEN support (K)",
    "E": "EHC plan (E)",
    "N": "Not on the register (N)",
    "all": "All pupils",
}


@dataclass
class RegisterFilters:
    provision: str = "register"
    need: str = ""
    area: str = ""
    year_group: str = ""
    group_id: int | None = None
    flags: list[str] = field(default_factory=list)
    added: str = ""  # "term": first added to the register this term
    search: str = ""  # name or UPN: only ever arrives by POST

    @classmethod
    def from_data(cls, data) -> RegisterFilters:
        """From a QueryDict or dict; unknown values are ignored rather than failing the page."""
        get = data.get
        getlist = getattr(data, "getlist", lambda k: data.get(k) or [])
        provision = get("provision") or "register"
        group = get("group") or get("group_id") or ""
        flags = getlist("flags")
        if isinstance(flags, str):
            flags = [flags]
        return cls(
            provision=provision if provision in PROVISION_FILTERS else "register",
            need=(get("need") or "").upper(),
            area=get("area") or "",
            year_group=get("year_group") or "",
            group_id=int(group) if str(group).isdigit() else None,
            flags=[f for f in flags if f in FLAG_FIELDS],
            added="term" if get("added") == "term" else "",
            search=(get("search") or "").strip()[:100],
        )

    def query_string(self) -> str:
        """The filters as a query string (codes only: never the search term), for page links and
        the address bar."""
        from urllib.parse import urlencode

        pairs: list[tuple[str, str]] = []
        if self.provision != "register":
            pairs.append(("provision", self.provision))
        for key in ("need", "area", "year_group", "added"):
            if getattr(self, key):
                pairs.append((key, getattr(self, key)))
        if self.group_id:
            pairs.append(("group", str(self.group_id)))
        pairs.extend(("flags", flag) for flag in self.flags)
        return urlencode(pairs)

    @property
    def applied_count(self) -> int:
        """How many filters are set (the search aside): shown on the phone's "Filters" toggle."""
        from urllib.parse import parse_qsl

        return len(parse_qsl(self.query_string()))

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.need
            or self.area
            or self.year_group
            or self.group_id
            or self.flags
            or self.added
            or self.search
            or self.provision != "register"
        )


def pupil_for(access, user, pupil_id: int) -> Pupil:
    pupil = visible_pupils(access, user).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404("No pupil with that id that you can see.")
    return pupil


def register_queryset(
    access, user, filters: RegisterFilters, *, queryset: QuerySet | None = None
) -> QuerySet:
    """The register, filtered. `queryset` (already scoped to the person, e.g. an API view's
    get_queryset()) defaults to visible_pupils(access, user)."""
    scoped = queryset if queryset is not None else visible_pupils(access, user)
    qs: QuerySet[Any] = cast("PupilQuerySet", scoped).on_roll()
    # Finding a pupil by name looks at everyone on roll unless a provision was chosen: a pupil
    # with an open concern is often not on the register yet.
    if filters.provision == "register" and not filters.search:
        qs = qs.filter(sen_provision__in=[Provision.SEN_SUPPORT, Provision.EHC_PLAN])
    elif filters.provision in Provision.values:
        qs = qs.filter(sen_provision=filters.provision)
    if filters.need:
        qs = qs.filter(Q(primary_need=filters.need) | Q(secondary_need=filters.need))
    if filters.area:
        codes = codes_in_area(filters.area)
        qs = qs.filter(Q(primary_need__in=codes) | Q(secondary_need__in=codes))
    if filters.year_group in YEAR_GROUPS:
        qs = qs.filter(year_group=filters.year_group)
    if filters.group_id:
        qs = qs.filter(
            Exists(
                TeachingGroup.pupils.through.objects.filter(
                    teachinggroup_id=filters.group_id, pupil_id=OuterRef("pk")
                )
            )
        )
    for flag in filters.flags:
        model_field = FLAG_FIELDS[flag][0]
        qs = qs.filter(**{model_field: True}) if model_field else qs.exclude(medical_needs="")
    if filters.added == "term":
        from django.utils import timezone

        qs = added_to_register_since(qs, this_term_start(timezone.localdate()))
    if filters.search:
        term = filters.search
        words = term.split()
        name_q = Q()
        for word in words:
            name_q &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_first_name__icontains=word)
                | Q(preferred_last_name__icontains=word)
            )
        qs = qs.filter(name_q | Q(upn__iexact=term.replace(" ", "")))
    return qs.order_by("last_name", "first_name", "id")


def register_counts(access, user) -> dict:
    """Roll, SEN support and EHC plan counts of the pupils this person sees, with national
    comparisons (January 2025)."""
    counts = (
        visible_pupils(access, user)
        .on_roll()
        .aggregate(
            roll=Count("id"),
            sen_support=Count("id", filter=Q(sen_provision=Provision.SEN_SUPPORT)),
            ehc_plan=Count("id", filter=Q(sen_provision=Provision.EHC_PLAN)),
        )
    )
    roll = counts["roll"] or 0

    def pct(n: int) -> float:
        return round(100 * n / roll, 1) if roll else 0.0

    return {
        **counts,
        "on_register": counts["sen_support"] + counts["ehc_plan"],
        "sen_support_percent": pct(counts["sen_support"]),
        "ehc_plan_percent": pct(counts["ehc_plan"]),
        "on_register_percent": pct(counts["sen_support"] + counts["ehc_plan"]),
        "national_sen_support_percent": NATIONAL_SEN_SUPPORT_PERCENT,
        "national_ehc_plan_percent": NATIONAL_EHC_PLAN_PERCENT,
        "national_on_register_percent": round(
            NATIONAL_SEN_SUPPORT_PERCENT + NATIONAL_EHC_PLAN_PERCENT, 1
        ),
    }


def school_figures() -> dict:
    """Whole-school aggregates (no pupil-level data): the roll, SEN support and EHC plan counts
    and pupils on the register by broad area of primary need. What governors see."""
    from .codes import BroadArea

    qs = Pupil.objects.on_roll()
    register = [Provision.SEN_SUPPORT, Provision.EHC_PLAN]
    areas = {
        area.value: Count(
            "id", filter=Q(sen_provision__in=register, primary_need__in=codes_in_area(area.value))
        )
        for area in BroadArea
    }
    row = qs.aggregate(
        roll=Count("id"),
        sen_support=Count("id", filter=Q(sen_provision=Provision.SEN_SUPPORT)),
        ehc_plan=Count("id", filter=Q(sen_provision=Provision.EHC_PLAN)),
        **areas,
    )
    roll = row["roll"] or 0
    return {
        "roll": roll,
        "sen_support": row["sen_support"],
        "ehc_plan": row["ehc_plan"],
        "sen_support_percent": round(100 * row["sen_support"] / roll, 1) if roll else 0.0,
        "ehc_plan_percent": round(100 * row["ehc_plan"] / roll, 1) if roll else 0.0,
        "national_sen_support_percent": NATIONAL_SEN_SUPPORT_PERCENT,
        "national_ehc_plan_percent": NATIONAL_EHC_PLAN_PERCENT,
        "by_area": [(area.label, row[area.value]) for area in BroadArea],
    }


def visible_concerns(access, user) -> QuerySet:
    if not can(access, "see_send_detail"):
        return Concern.objects.none()
    qs = Concern.objects.select_related("pupil")
    if can(access, "see_all_concerns"):
        return qs
    return qs.filter(pupil__in=visible_pupils(access, user))


def open_concerns(access, user) -> QuerySet:
    return (
        visible_concerns(access, user)
        .filter(status__in=Concern.OPEN_STATUSES)
        .order_by("raised_at", "id")
    )


def staff_names(user_ids) -> dict[int, str]:
    """Staff names for user ids, in one query on the public schema."""
    from tenants.models import User

    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))


def school_staff(school, roles=None) -> list[tuple[int, str]]:
    """(user id, "Name (role)") for the school's staff, for choosing a lead or a class teacher."""
    from tenants.models import SchoolMembership

    qs = (
        SchoolMembership.objects.filter(school=school)
        .select_related("user")
        .order_by("user__full_name")
    )
    if roles:
        qs = qs.filter(role__in=list(roles))
    return [(m.user_id, f"{m.user.full_name} ({m.get_role_display()})") for m in qs]


def visible_groups(access, user) -> QuerySet:
    from .access import effective_role

    role = effective_role(access)
    qs = TeachingGroup.objects.all()
    if role == "teacher":
        qs = qs.filter(
            Exists(TeachingGroupStaff.objects.filter(group=OuterRef("pk"), user_id=user.pk))
        )
    elif role == "teaching_assistant":
        assigned = TAAssignment.objects.filter(user_id=user.pk).values("pupil_id")
        qs = qs.filter(pupils__in=assigned).distinct()
    elif not can(access, "see_pupils"):
        qs = qs.none()
    return qs.order_by("name")


def profile_of(pupil: Pupil) -> PupilProfile | None:
    return PupilProfile.objects.filter(pupil=pupil).first()


def registration_forms_on_roll() -> list[str]:
    """The registration forms pupils on roll are in (for making a class from one)."""
    return sorted(set(Pupil.objects.on_roll().exclude(form="").values_list("form", flat=True)))


def pupil_ids_in_form(form: str) -> list[int]:
    return list(Pupil.objects.on_roll().filter(form=form).values_list("pk", flat=True))


def classes_with_counts() -> list[TeachingGroup]:
    return list(
        TeachingGroup.objects.annotate(pupil_count=Count("pupils"))
        .prefetch_related("staff")
        .order_by("name")
    )


def concern_pupil_choices() -> QuerySet[Pupil]:
    """Any pupil on roll may be the subject of a concern: the picker needs only name, year and
    form."""
    return Pupil.objects.on_roll().only(
        "pk",
        "first_name",
        "last_name",
        "preferred_first_name",
        "preferred_last_name",
        "year_group",
        "form",
    )


def pupil_on_roll(pupil_id: int) -> Pupil:
    """A pupil on roll, or 404 (a concern may be raised about any of them)."""
    pupil = Pupil.objects.on_roll().filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404("No such pupil on roll.")
    return pupil


def this_term_start(today: date) -> date:
    """The first day of the term `today` falls in, from the school's own term dates (apps.school);
    in a holiday, the term just ended's start by the usual pattern."""
    from apps.school.selectors import current_term

    term = current_term(today)
    return term.starts_on if term.starts_on <= today else term_start(today)


def added_to_register_since(pupils: QuerySet, start: date) -> QuerySet:
    """Pupils whose first entry on the register (any provision but N) is on or after `start`."""
    on_register = SenHistory.objects.filter(pupil=OuterRef("pk")).exclude(provision="N")
    return pupils.filter(Exists(on_register.filter(effective_date__gte=start))).exclude(
        Exists(on_register.filter(effective_date__lt=start))
    )
