"""Forms for the pupil pages. They parse and show errors; the rules live in services and rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from .codes import NEED_CHOICES, YEAR_GROUP_CHOICES, Provision
from .models import Concern, Pupil
from .rules import pupil_date_errors
from .upn import InvalidUPN, validate_upn

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HubForm(forms.Form):
    """Required-field messages that say what to do ("Enter the date of birth.")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = str(field.label or name.replace("_", " ")).split(" (")[0]
            label = (label[:1].lower() + label[1:] if label[:3] != "UPN" else label) or "answer"
            verb = "Choose" if isinstance(field, forms.ChoiceField) else "Enter"
            if str(field.error_messages.get("required")) == str(
                forms.Field.default_error_messages["required"]
            ):
                field.error_messages["required"] = f"{verb} the {label}."
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = (
                    f"Enter the {label} as a real date, for example 27 3 2017."
                )


class PupilForm(HubForm):
    upn = forms.CharField(
        label="UPN",
        max_length=20,
        help_text="13 characters: a check letter, then 12 digits (a temporary UPN ends in a letter).",
    )
    first_name = forms.CharField(label="Legal first name", max_length=100)
    last_name = forms.CharField(label="Legal last name", max_length=100)
    preferred_first_name = forms.CharField(
        label="Preferred first name (optional)", max_length=100, required=False
    )
    preferred_last_name = forms.CharField(
        label="Preferred last name (optional)", max_length=100, required=False
    )
    date_of_birth = forms.DateField(label="Date of birth", widget=DATE)
    gender = forms.ChoiceField(choices=[("", "Choose"), *Pupil.Gender.choices])
    year_group = forms.ChoiceField(
        label="Year group", choices=[("", "Choose"), *YEAR_GROUP_CHOICES]
    )
    form = forms.CharField(label="Registration form (optional)", max_length=20, required=False)
    admission_date = forms.DateField(label="Admission date (optional)", required=False, widget=DATE)
    leaving_date = forms.DateField(label="Leaving date (optional)", required=False, widget=DATE)
    eal = forms.BooleanField(label="English as an additional language", required=False)
    pupil_premium = forms.BooleanField(label="Pupil premium", required=False)
    free_school_meals = forms.BooleanField(label="Free school meals", required=False)
    looked_after = forms.BooleanField(label="Looked-after child", required=False)
    designated_teacher_user_id = forms.TypedChoiceField(
        label="Designated teacher (looked-after children)",
        required=False,
        coerce=int,
        empty_value=None,
    )
    medical_needs = forms.CharField(
        label="Medical needs (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, staff_choices=(), year_choices=YEAR_GROUP_CHOICES, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["designated_teacher_user_id"].choices = [("", "None"), *staff_choices]
        # The school's phase decides the year groups offered (a primary has no Year 13).
        self.fields["year_group"].choices = [("", "Choose"), *year_choices]

    def clean_upn(self) -> str:
        try:
            return validate_upn(self.cleaned_data["upn"])
        except InvalidUPN as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        # The same date rules the service applies, so every problem shows at once.
        if data.get("date_of_birth"):
            for field, messages in pupil_date_errors(
                date_of_birth=data["date_of_birth"],
                admission_date=data.get("admission_date"),
                leaving_date=data.get("leaving_date"),
                today=timezone.localdate(),
            ).items():
                for message in messages:
                    self.add_error(field, message)
        if data.get("looked_after") and not data.get("designated_teacher_user_id"):
            self.add_error(
                "designated_teacher_user_id",
                "Choose the designated teacher for a looked-after child.",
            )
        return data


class RegisterForm(HubForm):
    provision = forms.ChoiceField(
        label="SEN provision", choices=Provision.choices, widget=forms.RadioSelect
    )
    primary_need = forms.ChoiceField(
        label="Primary need (rank 1)", required=False, choices=[("", "None"), *NEED_CHOICES]
    )
    secondary_need = forms.ChoiceField(
        label="Secondary need (rank 2, optional)",
        required=False,
        choices=[("", "None"), *NEED_CHOICES],
    )
    effective_date = forms.DateField(
        label="Date of the change",
        widget=DATE,
        help_text="Today, or the date the decision was made.",
    )
    sen_lead_user_id = forms.TypedChoiceField(
        label="Lead member of staff", required=False, coerce=int, empty_value=None
    )
    reason = forms.CharField(
        label="Why is the register entry changing?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the pupil's history with your name and the date.",
    )

    def __init__(self, *args, staff_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sen_lead_user_id"].choices = [("", "None"), *staff_choices]


class ProfileForm(HubForm):
    like_and_admire = forms.CharField(
        label="What people like and admire about me",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    important_to_me = forms.CharField(
        label="What is important to me", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    how_to_support = forms.CharField(
        label="How best to support me", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    communication_preferences = forms.CharField(
        label="How I like to communicate", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VoiceForm(HubForm):
    what_they_said = forms.CharField(
        label="What the pupil said, in their words", widget=forms.Textarea(attrs={"rows": 4})
    )
    how_gathered = forms.CharField(
        label="How their views were gathered (optional)",
        required=False,
        max_length=120,
        help_text="For example: conversation with a TA, drawing, talking mat.",
    )
    recorded_on = forms.DateField(label="Date", widget=DATE)


class StrategyForm(HubForm):
    text = forms.CharField(
        label="A strategy that works",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Something every adult who teaches this pupil should know and do.",
    )


class ConcernForm(HubForm):
    what_seen = forms.CharField(
        label="What have you noticed?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Describe what you see in class, with examples and dates if you can.",
    )
    what_tried = forms.CharField(
        label="What have you tried so far? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


from .picker import PupilPickField  # noqa: E402


class ConcernPickPupilForm(ConcernForm):
    pupil = PupilPickField(
        label="Pupil",
        help_text="Type part of their name or their UPN, then choose them from the list.",
    )

    field_order = ["pupil", "what_seen", "what_tried"]


class TriageForm(HubForm):
    decision = forms.ChoiceField(
        label="Decision",
        error_messages={
            "required": "Choose monitor, assess, add to the register or no further action."
        },
        widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in Concern.DECISIONS],
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why you decided this and what happens next. Kept with the concern, dated.",
    )


class ClassForm(HubForm):
    name = forms.CharField(
        label="Class name",
        max_length=60,
        help_text="For example 9A, Willow or Year 10 maths set 2.",
    )
    year_group = forms.ChoiceField(
        label="Year group (optional)",
        required=False,
        choices=[("", "Mixed or none"), *YEAR_GROUP_CHOICES],
    )
    registration_form = forms.ChoiceField(
        label="Add the pupils of this registration form (optional)", required=False
    )
    staff_user_ids = forms.TypedMultipleChoiceField(
        label="Taught by (optional)",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select everyone who teaches this class.",
    )

    def __init__(
        self,
        *args,
        forms_on_roll=(),
        staff_choices=(),
        year_choices=YEAR_GROUP_CHOICES,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["registration_form"].choices = [("", "None"), *[(f, f) for f in forms_on_roll]]
        self.fields["staff_user_ids"].choices = list(staff_choices)
        self.fields["year_group"].choices = [("", "Mixed or none"), *year_choices]
