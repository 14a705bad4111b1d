from __future__ import annotations

from django import forms

from apps.pupils.picker import PupilPickField
from tenants.hosts import school_url
from tenants.models import School, la_code_validator, urn_validator
from tenants.roles import TrustRole
from tenants.slugs import schema_name_for, validate_subdomain

from .models import TRANSFER_REASONS, EffectivenessReview, SencoQualification, TrustSettings


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        super().__init__(attrs, format=format or "%Y-%m-%d")


class OnboardSchoolForm(forms.Form):
    """Every problem is reported at once: the formats here (the same validators as the School
    model and tenants.slugs), and the URN and web address already used, so a trust admin never
    fixes two problems only to be shown the next three."""

    name = forms.CharField(label="School name", max_length=200)
    urn = forms.CharField(
        label="DfE URN",
        max_length=6,
        validators=[urn_validator],
        help_text="6 digits, from Get Information about Schools.",
    )
    subdomain = forms.CharField(
        label="Web address",
        max_length=40,
    )
    phase = forms.ChoiceField(choices=School.Phase.choices, initial=School.Phase.PRIMARY)
    local_authority_name = forms.CharField(label="Local authority", max_length=100)
    local_authority_code = forms.CharField(
        label="Local authority code",
        max_length=3,
        validators=[la_code_validator],
        help_text="3 digits, for example 382 for Kirklees.",
    )
    number_on_roll = forms.IntegerField(label="Pupils on roll", min_value=0)
    senco_name = forms.CharField(label="SENCo's full name", max_length=150)
    senco_email = forms.EmailField(label="SENCo's email address")
    headteacher_name = forms.CharField(label="Headteacher's full name", max_length=150)
    headteacher_email = forms.EmailField(label="Headteacher's email address")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The whole address, so the admin sees exactly what staff will type.
        self.fields["subdomain"].help_text = (
            "3 to 40 lower-case letters, numbers and hyphens, for example ash-grove. "
            f"The school's address will then be {school_url('ash-grove')}"
        )
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                # Too long is reported like any other problem (with the rest), not silently cut
                # off by the browser.
                field.widget.attrs.pop("maxlength", None)

    def clean_urn(self) -> str:
        urn = self.cleaned_data["urn"].strip()
        if School.objects.filter(urn=urn).exists():
            raise forms.ValidationError(
                f"A school with URN {urn} is already in SENCo Hub. Check the URN on Get "
                "Information about Schools."
            )
        return urn

    def clean_subdomain(self) -> str:
        slug = validate_subdomain(self.cleaned_data["subdomain"])
        if School.objects.filter(schema_name__iexact=schema_name_for(slug)).exists():
            raise forms.ValidationError(f"The web address “{slug}” is already taken.")
        return slug

    def clean(self):
        data = super().clean()
        senco, head = data.get("senco_email"), data.get("headteacher_email")
        if senco and head and senco.strip().lower() == head.strip().lower():
            self.add_error(
                "headteacher_email",
                "The headteacher and the SENCo need different email addresses: a SENCo must "
                "not be the headteacher.",
            )
        return data


class InviteTrustUserForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email address")
    trust_role = forms.ChoiceField(
        label="Trust role",
        choices=TrustRole.choices,
        help_text="Trust admins run the console; the SEND lead sees dashboards and can open schools' records (audited); finance sees billing; viewers see aggregate dashboards only.",
    )


class ArrangementForm(forms.Form):
    senco = forms.ChoiceField(
        label="Who is the shared SENCo?",
        help_text="A qualified teacher who is SENCo at each school below.",
    )
    teaching_hours_per_week = forms.DecimalField(
        label="Hours a week the SENCo teaches classes",
        help_text="Timetabled class teaching in all schools together; 0 if none. A shared SENCo "
        "should not normally have a significant class teaching commitment.",
        min_value=0,
        max_digits=4,
        decimal_places=1,
        initial=0,
    )
    admin_support_hours_per_week = forms.DecimalField(
        label="Hours a week of administrative support for the SENCo",
        help_text="Time someone else spends on the SENCo's paperwork, in all schools together.",
        min_value=0,
        max_digits=4,
        decimal_places=1,
        initial=0,
    )
    started_on = forms.DateField(label="Date the arrangement starts", widget=DateInput)
    next_review_due = forms.DateField(
        label="Date the arrangement is next reviewed",
        help_text="The trust checks regularly that sharing the SENCo is not harming provision.",
        widget=DateInput,
    )

    def __init__(self, *args, sencos, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = list(schools)
        self.fields["senco"].choices = [("", "Choose a SENCo")] + [
            (str(u.pk), u.full_name) for u in sencos
        ]
        for school in self.schools:
            self.fields[f"hours_{school.pk}"] = forms.DecimalField(
                label=f"SENCo hours a week at {school.name}",
                required=False,
                min_value=0,
                max_digits=4,
                decimal_places=1,
                help_text="Time for SENCo work at this school (not teaching). Leave empty if the "
                "arrangement does not cover this school.",
            )

    def school_hours(self) -> dict:
        return {
            s: self.cleaned_data[f"hours_{s.pk}"]
            for s in self.schools
            if self.cleaned_data.get(f"hours_{s.pk}")
        }


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Date of review", widget=DateInput)
    evidence = forms.CharField(
        label="Evidence considered",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example: the schools' registers, plan reviews done on time, parents' and staff views, the SENCo's workload.",
    )
    decision = forms.ChoiceField(
        choices=EffectivenessReview.Decision.choices, widget=forms.RadioSelect
    )
    next_review_due = forms.DateField(
        label="Next review due",
        required=False,
        widget=DateInput,
        help_text="Not needed if the arrangement ends.",
    )


class QualificationForm(forms.ModelForm):
    class Meta:
        model = SencoQualification
        fields = ["appointed_on", "has_qts", "award", "award_achieved_on"]
        widgets = {"appointed_on": DateInput, "award_achieved_on": DateInput}


class TrustSettingsForm(forms.ModelForm):
    class Meta:
        model = TrustSettings
        fields = [
            "significant_teaching_hours",
            "min_minutes_per_pupil_on_roll",
            "min_minutes_per_pupil_on_register",
            "review_interval_months",
        ]


class PublishForm(forms.Form):
    """The console's own guidance and templates (a school's items are shared by its SENCo)."""

    school = forms.ChoiceField(label="Publishing school")
    item_type = forms.ChoiceField(label="Kind of item")
    title = forms.CharField(max_length=200, required=False)
    summary = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label="Content",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Catalogue content only: never a pupil's name or details.",
    )

    def __init__(self, *args, schools, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", "Choose a school")] + [
            (str(s.pk), s.name) for s in schools
        ]
        self.fields["item_type"].choices = [(k, t.label) for k, t in types.items()]


class ShareForm(forms.Form):
    """A school's item, as its SENCo rewords it before sharing it with the trust library."""

    title = forms.CharField(max_length=200, required=False)
    summary = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label="Wording", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class TransferStartForm(forms.Form):
    # The accessible autocomplete the concerns and exports pages use (search by POST, keyboard
    # usable), not a dropdown of the whole roll; cleans to the Pupil on roll.
    pupil = PupilPickField(
        label="Pupil",
        help_text="Type part of their name or their UPN, then choose them from the list.",
    )
    to_school = forms.ChoiceField(label="Receiving school")
    reason = forms.ChoiceField(
        label="Reason (optional)", choices=[("", "Not given"), *TRANSFER_REASONS], required=False
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_school"].choices = [("", "Choose a school")] + [
            (str(s.pk), s.name) for s in schools
        ]
