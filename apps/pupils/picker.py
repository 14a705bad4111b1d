"""An accessible pupil picker that scales to a secondary's roll: a text box with a list of
matches (ARIA combobox), searched by POST so a name never travels in a URL. Used wherever a form
asks for one pupil (raising a concern, exports).

- With JavaScript (apps/core/static/core/picker.js): typing asks POST /pupils/pick/ for up to 20
  matches; arrow keys move through them, Enter chooses, Escape closes.
- Without it: the typed name or UPN is sent with the form and resolved here if exactly one pupil
  matches; otherwise the error says how many did.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.core.access import WHOLE_SCHOOL_ROLES
from tenants.typing import SchoolPageRequest

from .access import can, effective_role
from .codes import YEAR_GROUP_CHOICES
from .models import Pupil

MAX_MATCHES = 20
_YEARS = dict(YEAR_GROUP_CHOICES)
_FIELDS = (
    "pk",
    "upn",
    "first_name",
    "last_name",
    "preferred_first_name",
    "preferred_last_name",
    "year_group",
    "form",
    "leaving_date",
)


def pupil_label(p: Pupil) -> str:
    """Name, year and form: what a member of staff needs to tell two pupils apart."""
    where = _YEARS.get(p.year_group, p.year_group) + (f", {p.form}" if p.form else "")
    left = f", left {p.leaving_date:%d/%m/%Y}" if p.leaving_date else ""
    return f"{p.display_name} ({where}{left})"


def matching(pupils: QuerySet, text: str) -> QuerySet:
    text = text.strip()[:100]
    if not text:
        return pupils.none()
    name = Q()
    for word in text.split():
        name &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_first_name__icontains=word)
            | Q(preferred_last_name__icontains=word)
        )
    return pupils.filter(name | Q(upn__iexact=text.replace(" ", ""))).order_by(
        "last_name", "first_name", "id"
    )


def _scope(request: SchoolPageRequest, scope: str) -> QuerySet:
    """Pupils the picker may offer: everyone on roll (any member of staff may raise a concern
    about any pupil on roll), or, for whole-school roles, leavers too (exports)."""
    access = request.school_access
    if scope == "all" and effective_role(access) in WHOLE_SCHOOL_ROLES:
        return Pupil.objects.all()
    if can(access, "raise_concern") or can(access, "see_pupils"):
        return Pupil.objects.on_roll()
    return Pupil.objects.none()


@require_POST
def pick(request: SchoolPageRequest) -> JsonResponse:
    pupils = matching(_scope(request, request.POST.get("scope", "roll")), request.POST.get("q", ""))
    rows = list(pupils.only(*_FIELDS)[: MAX_MATCHES + 1])
    return JsonResponse(
        {
            "matches": [{"id": p.pk, "label": pupil_label(p)} for p in rows[:MAX_MATCHES]],
            "more": len(rows) > MAX_MATCHES,
        }
    )


class PupilPicker(forms.Widget):
    template_name = "pupils/widgets/pupil_picker.html"

    def __init__(self, *, scope: str = "roll", attrs=None) -> None:
        super().__init__(attrs)
        self.scope = scope

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        label, chosen = "", ""
        if isinstance(value, Pupil):
            value = value.pk
        if value not in (None, "") and str(value).isdigit():
            pupil = Pupil.objects.filter(pk=int(value)).only(*_FIELDS).first()
            if pupil is not None:
                label, chosen = pupil_label(pupil), str(pupil.pk)
        elif value:
            label = str(value)  # the name typed without JavaScript, shown back with the error
        context["widget"].update(
            label=label, chosen=chosen, search_url=reverse("pupils:pick"), scope=self.scope
        )
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name) or data.get(f"{name}_text", "").strip()

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_text" not in data


class PupilPickField(forms.Field):
    """One pupil from `queryset`, chosen with the picker; cleans to the Pupil."""

    default_error_messages = {
        "required": "Choose a pupil: type part of their name or their UPN.",
        "none": "No pupil matches “%(text)s”. Check the spelling, or type their UPN.",
        "many": "%(count)s pupils match “%(text)s”. Type more of the name, or the UPN, and choose "
        "one from the list.",
    }

    def __init__(self, *, queryset: QuerySet | None = None, scope: str = "roll", **kwargs):
        kwargs.setdefault("widget", PupilPicker(scope=scope))
        super().__init__(**kwargs)
        self.queryset = queryset

    def clean(self, value):
        value = self.to_python(value)
        if value in (None, ""):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        pupils = self.queryset if self.queryset is not None else Pupil.objects.on_roll()
        text = str(value).strip()
        if text.isdigit():
            pupil = pupils.filter(pk=int(text)).first()
            if pupil is not None:
                return pupil
        found = list(matching(pupils, text)[: MAX_MATCHES + 1])
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(self.error_messages["none"], code="none", params={"text": text})
        count = f"{MAX_MATCHES} or more" if len(found) > MAX_MATCHES else str(len(found))
        raise ValidationError(
            self.error_messages["many"], code="many", params={"count": count, "text": text}
        )
