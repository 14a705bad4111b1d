"""Teachers and teaching assistants: the pupil page opens with the profile and strategies; the
pupil passport and class strategy sheet PDFs; "My pupils" on their home page; retiring a strategy
asks first and is the SENCo's."""

from __future__ import annotations

import pytest

from apps.audit.models import AuditEvent
from apps.pupils import services
from apps.pupils.models import Strategy
from tests.pupils.factories import make_class, make_pupil
from tests.support import in_school


@pytest.fixture
def taught(school_a, people):
    """3T, taught by teacher_a: Tilly (SEN support, with a profile and strategies), Nico (no SEN);
    5X, not taught by teacher_a: Xena (SEN support)."""
    with in_school(school_a):
        tilly = make_pupil(
            first_name="Tilly", last_name="Taughtson", provision="K", primary_need="SLCN"
        )
        nico = make_pupil(first_name="Nico", last_name="Nosen")
        xena = make_pupil(
            first_name="Xena", last_name="Elsewhere", provision="K", primary_need="MLD"
        )
        group = make_class("3T", staff=[people["teacher_a"]], pupils=[tilly, nico])
        other = make_class("5X", pupils=[xena])
        services.profile_update(
            acting_user=None, pupil=tilly, how_to_support="Give me time to answer"
        )
        strategy = services.strategy_add(
            acting_user=None, pupil=tilly, text="Sit me near the front"
        )
    return {
        "tilly": tilly,
        "nico": nico,
        "xena": xena,
        "group": group,
        "other": other,
        "strategy": strategy,
    }


def test_teacher_pupil_page_opens_with_profile_and_strategies(client_for, people, school_a, taught):
    html = (
        client_for(people["teacher_a"], school_a)
        .get(f"/pupils/{taught['tilly'].pk}/")
        .content.decode()
    )
    assert html.index('id="profile"') < html.index('id="register-entry"')
    assert html.index('id="strategies"') < html.index('id="register-entry"')


def test_senco_pupil_page_keeps_the_register_entry_first(client_for, people, school_a, taught):
    html = (
        client_for(people["senco_a"], school_a)
        .get(f"/pupils/{taught['tilly'].pk}/")
        .content.decode()
    )
    assert html.index('id="register-entry"') < html.index('id="profile"')


def test_teacher_prints_a_pupil_passport(client_for, people, school_a, taught):
    response = client_for(people["teacher_a"], school_a).get(
        f"/pupils/{taught['tilly'].pk}/passport.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"pupil-passport-{taught['tilly'].pk}.pdf" in response["Content-Disposition"]
    assert "Tilly" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    with in_school(school_a):
        assert (
            AuditEvent.objects.filter(
                pupil=taught["tilly"], action="passport.printed", user_id=people["teacher_a"].pk
            ).count()
            == 1
        )


def test_passport_of_a_pupil_not_taught_is_404(client_for, people, school_a, taught):
    response = client_for(people["teacher_a"], school_a).get(
        f"/pupils/{taught['xena'].pk}/passport.pdf"
    )
    assert response.status_code == 404
    with in_school(school_a):
        assert not AuditEvent.objects.filter(action="passport.printed").exists()


@pytest.mark.parametrize("who", ["office_a", "governor_a"])
def test_roles_without_send_detail_cannot_print(client_for, people, school_a, taught, who):
    client = client_for(people[who], school_a)
    assert client.get(f"/pupils/{taught['tilly'].pk}/passport.pdf").status_code == 403
    assert client.get(f"/pupils/classes/{taught['group'].pk}/strategy-sheet.pdf").status_code == 403


def test_passport_isolation_other_schools_twin_id(
    client_for, people, school_a, school_b, twin_rows
):
    a, b = twin_rows(lambda s: make_pupil(first_name="Twin", provision="K", primary_need="SLCN"))
    assert (
        client_for(people["senco_b"], school_b).get(f"/pupils/{a.pk}/passport.pdf").status_code
        == 200
    )
    assert (
        client_for(people["outsider"], school_a).get(f"/pupils/{a.pk}/passport.pdf").status_code
        == 403
    )


def test_teacher_prints_the_class_strategy_sheet(client_for, people, school_a, taught):
    response = client_for(people["teacher_a"], school_a).get(
        f"/pupils/classes/{taught['group'].pk}/strategy-sheet.pdf"
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    with in_school(school_a):
        printed = AuditEvent.objects.get(action="strategy_sheet.printed")
    # One row for the sheet, listing who is on it: on the register in the class; not Nico.
    assert printed.extra["pupil_ids"] == [taught["tilly"].pk]
    assert printed.user_id == people["teacher_a"].pk


def test_class_sheet_of_a_class_not_taught_is_404(client_for, people, school_a, taught):
    response = client_for(people["teacher_a"], school_a).get(
        f"/pupils/classes/{taught['other'].pk}/strategy-sheet.pdf"
    )
    assert response.status_code == 404


def test_passport_is_one_page_even_with_a_full_profile(school_a, taught):
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from apps.pupils.printouts import _passport

    with in_school(school_a):
        tilly = type(taught["tilly"]).objects.get(pk=taught["tilly"].pk)
        for n in range(8):
            services.strategy_add(acting_user=None, pupil=tilly, text=f"Strategy number {n} " * 6)
        services.profile_update(
            acting_user=None,
            pupil=tilly,
            like_and_admire="Kind and funny. " * 12,
            important_to_me="My dog and my gran. " * 10,
        )
        html = render_to_string(
            "pupils/print/passport.html",
            {"pupils": [_passport(tilly)], "school": school_a},
        )
    assert "Sit me near the front" in html and "My dog and my gran" in html
    assert len(HTML(string=html).render().pages) == 1


def test_class_sheet_lists_the_pupils_with_needs_and_strategies(people, school_a, taught, rf):
    """The sheet's HTML before it becomes a PDF: who is on it and what it says."""
    from django.template.loader import render_to_string

    from apps.pupils.printouts import _passport

    with in_school(school_a):
        tilly = type(taught["tilly"]).objects.get(pk=taught["tilly"].pk)
        html = render_to_string(
            "pupils/print/class_sheet.html",
            {"group": taught["group"], "pupils": [_passport(tilly)], "school": school_a},
        )
    assert "Tilly Taughtson" in html and "Speech, language" in html
    assert "Give me time to answer" in html and "Sit me near the front" in html


def test_teacher_home_lists_my_pupils(client_for, people, school_a, taught):
    html = client_for(people["teacher_a"], school_a).get("/").content.decode()
    assert 'data-testid="my-pupils"' in html
    assert "Tilly Taughtson" in html
    assert "Nico" not in html and "Xena" not in html
    assert f"/pupils/classes/{taught['group'].pk}/strategy-sheet.pdf" in html


def test_senco_home_has_no_my_pupils_panel(client_for, people, school_a, taught):
    html = client_for(people["senco_a"], school_a).get("/").content.decode()
    assert 'data-testid="my-pupils"' not in html


def test_retiring_a_strategy_asks_first_and_names_it(client_for, people, school_a, taught):
    client = client_for(people["senco_a"], school_a)
    url = f"/pupils/{taught['tilly'].pk}/strategies/{taught['strategy'].pk}/retire/"
    page = client.get(f"/pupils/{taught['tilly'].pk}/").content.decode()
    assert "the strategy “Sit me near the front”" in page
    ask = client.get(url)
    assert ask.status_code == 200 and "Sit me near the front" in ask.content.decode()
    with in_school(school_a):
        assert Strategy.objects.get(pk=taught["strategy"].pk).is_active  # asking changed nothing
    assert client.post(url).status_code == 302
    with in_school(school_a):
        assert not Strategy.objects.get(pk=taught["strategy"].pk).is_active


def test_a_teacher_cannot_retire_a_strategy(client_for, people, school_a, taught):
    client = client_for(people["teacher_a"], school_a)
    url = f"/pupils/{taught['tilly'].pk}/strategies/{taught['strategy'].pk}/retire/"
    assert "Retire" not in client.get(f"/pupils/{taught['tilly'].pk}/").content.decode()
    assert client.post(url).status_code == 403
    with in_school(school_a):
        assert Strategy.objects.get(pk=taught["strategy"].pk).is_active
        assert not AuditEvent.objects.filter(action="strategy.retired").exists()
