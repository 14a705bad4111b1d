from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.reads import no_pupil_data
from tenants import lockout
from tenants.access import signed_in_user
from tenants.models import Trust, TrustMembership
from tenants.roles import TrustRole
from tenants.views import platform_pass_through

from . import mfa
from .forms import ChangePasswordForm, CodeForm, SetupForm, TrustPolicyForm
from .models import SecurityEvent
from .selectors import address_lockouts
from .services import (
    address_lockout_lift,
    lockout_lift,
    password_change,
    password_reset_complete,
    recent_events,
    security_event,
    trust_staff,
    two_step_reset,
)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith(
        "/"
    ):
        return "/"
    return target


def _qr_data_uri(url: str) -> str:
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=5)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@no_pupil_data
@login_required
@require_http_methods(["GET", "POST"])
def two_step(request: HttpRequest) -> HttpResponse:
    """The second step of signing in."""
    user = request.user
    if not mfa.has_mfa(user):
        return redirect(f"/accounts/two-step/set-up/?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind = mfa.verify_code_kind(user, form.cleaned_data["code"])
        if kind is not None:
            mfa.mark_passed(request.session)
            request.session.cycle_key()
            if kind == "recovery":
                # Perhaps the phone is lost: offer to set up a new authenticator straight away.
                response = redirect(
                    f"/accounts/two-step/recovery-used/?next={quote(_next(request))}"
                )
            else:
                # On a school's host this also signs the browser in on the platform host (one hop
                # there and back), as a sign-in without a second step does.
                response = redirect(platform_pass_through(request, _next(request)))
            if form.cleaned_data["remember"]:
                mfa.remember_device(response, user)
            return response
        form.add_error("code", "That code is not right, or has expired. Try the newest code.")
    return render(
        request,
        "security/two_step.html",
        {"form": form, "next": _next(request), "page_title": "Two-step sign-in"},
        status=400 if form.errors else 200,
    )


@no_pupil_data
@login_required
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app; shows the recovery codes once."""
    user = request.user
    if mfa.has_mfa(user) and not mfa.session_passed(request.session):
        return redirect(f"/accounts/two-step/?next={_next(request)}")
    device = mfa.totp_device_for_setup(user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.mfa_setup_confirm(
            acting_user=user, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            mfa.mark_passed(request.session)
            return render(
                request,
                "security/recovery_codes.html",
                {
                    "codes": codes,
                    "next": platform_pass_through(request, _next(request)),
                    "page_title": "Your recovery codes",
                },
            )
        form.add_error(
            "code",
            "That code is not right. Check the app shows SENCo Hub, then try the newest code.",
        )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "security/set_up.html",
        {
            "form": form,
            "next": _next(request),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr": _qr_data_uri(device.config_url),
            "required": mfa.mfa_required(user),
            "page_title": "Set up two-step sign-in",
        },
        status=400 if form.errors else 200,
    )


@no_pupil_data
@login_required
@require_http_methods(["GET"])
def recovery_used(request: HttpRequest) -> HttpResponse:
    """After signing in with a recovery code: how many are left, and set up a new authenticator
    now if the old one is lost."""
    if not mfa.session_passed(request.session):
        return redirect("/accounts/two-step/")
    return render(
        request,
        "security/recovery_used.html",
        {
            "left": mfa.recovery_codes_left(request.user),
            "next": _next(request),
            "page_title": "You used a recovery code",
        },
    )


def _admin_trust(request: HttpRequest) -> Trust | None:
    membership = (
        TrustMembership.objects.filter(user=request.user.pk, role=TrustRole.TRUST_ADMIN)
        .select_related("trust")
        .first()
    )
    return membership.trust if membership else None


@no_pupil_data
@login_required
@require_http_methods(["GET", "POST"])
def account_security(request: HttpRequest) -> HttpResponse:
    """The person's own sign-in security: two-step sign-in, recovery codes, sessions, API access."""
    user = signed_in_user(request)
    if request.method == "POST" and request.POST.get("action") == "new-recovery-codes":
        if not mfa.has_mfa(user):
            messages.error(request, "Set up two-step sign-in first.")
            return redirect("account-security")
        codes = mfa.recovery_codes_renew(acting_user=user)
        security_event(kind=SecurityEvent.Kind.RECOVERY_CODES_RENEWED, user=user)
        return render(
            request,
            "security/recovery_codes.html",
            {"codes": codes, "next": "/security/", "page_title": "Your new recovery codes"},
        )
    return render(
        request,
        "security/account.html",
        {
            "has_mfa": mfa.has_mfa(user),
            "required": mfa.mfa_required(user),
            "codes_left": mfa.recovery_codes_left(user),
            "idle_minutes": settings.SESSION_IDLE_TIMEOUT_SECONDS // 60,
            "absolute_hours": settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS // 3600,
            "admin_trust": _admin_trust(request)
            if getattr(request, "school", None) is None
            else None,
            "events": SecurityEvent.objects.filter(user=user).order_by("-occurred_at")[:10],
            "page_title": "Security",
        },
    )


@no_pupil_data
@login_required
@require_http_methods(["GET", "POST"])
def trust_policy(request: HttpRequest) -> HttpResponse:
    """Trust admin (platform host): require two-step sign-in for every member of staff; see and
    lift lockouts; reset a person's two-step sign-in; recent sign-in security events."""
    from .models import TrustSecurityPolicy

    if getattr(request, "school", None) is not None:
        raise Http404
    trust = _admin_trust(request)
    if trust is None:
        raise Http404
    policy, _ = TrustSecurityPolicy.objects.get_or_create(trust=trust)
    form = TrustPolicyForm(
        request.POST or None,
        initial={"require_mfa_for_all_staff": policy.require_mfa_for_all_staff},
    )
    if request.method == "POST" and form.is_valid():
        policy.require_mfa_for_all_staff = form.cleaned_data["require_mfa_for_all_staff"]
        policy.save()
        messages.success(request, "Saved. The change applies at each person's next request.")
        return redirect("trust-security-policy")
    staff = list(trust_staff(trust)[:1000])
    locks = lockout.account_locks([u.email for u in staff])
    with_mfa = set(
        TOTPDevice.objects.filter(user__in=staff, confirmed=True).values_list("user_id", flat=True)
    )
    people = [{"user": u, "lock": locks.get(u.email), "has_mfa": u.pk in with_mfa} for u in staff]
    return render(
        request,
        "security/trust_policy.html",
        {
            "form": form,
            "trust": trust,
            "locked": [p for p in people if p["lock"]],
            "locked_addresses": address_lockouts(trust),
            "people": people,
            "events": recent_events(trust),
            "page_title": "Sign-in security",
        },
    )


@no_pupil_data
@login_required
@require_POST
def trust_person_action(request: HttpRequest, user_id: int, action: str) -> HttpResponse:
    if getattr(request, "school", None) is not None:
        raise Http404
    trust = _admin_trust(request)
    if trust is None:
        raise Http404
    person = trust_staff(trust).filter(pk=user_id).first()
    if person is None:
        raise Http404
    try:
        if action == "lift-lockout":
            lockout_lift(acting_user=signed_in_user(request), trust=trust, user=person)
            messages.success(request, f"{person.full_name} can sign in again now.")
        elif action == "reset-two-step":
            two_step_reset(acting_user=signed_in_user(request), trust=trust, user=person)
            messages.success(
                request,
                f"{person.full_name}'s two-step sign-in is reset: they set up a new authenticator "
                "at their next sign-in.",
            )
        else:
            raise Http404
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("trust-security-policy")


@no_pupil_data
@login_required
@require_POST
def trust_address_lift(request: HttpRequest) -> HttpResponse:
    """Trust admin: lift the lockout of a network address their trust's sign-ins were caught by
    (the address comes in the body, never the URL)."""
    if getattr(request, "school", None) is not None:
        raise Http404
    trust = _admin_trust(request)
    if trust is None:
        raise Http404
    address = request.POST.get("address", "")
    try:
        address_lockout_lift(acting_user=signed_in_user(request), trust=trust, address=address)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"Everyone at {address.strip()} can sign in again now.")
    return redirect("trust-security-policy")


@no_pupil_data
class PasswordChangeView(auth_views.PasswordChangeView):
    """The signed-in person changes their password (any host: the account area is on every
    one). The current password is required and counts towards the lockout when wrong
    (ChangePasswordForm); the new one meets AUTH_PASSWORD_VALIDATORS. This session stays signed
    in; every other session of the person, on every host, ends (services.password_change)."""

    form_class = ChangePasswordForm
    template_name = "security/password_change.html"
    success_url = reverse_lazy("account-security")
    extra_context = {"page_title": "Change your password"}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["address"] = lockout.client_address(self.request)
        return kwargs

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        password_change(
            acting_user=form.user,
            new_password=form.cleaned_data["new_password1"],
            address=lockout.client_address(self.request),
        )
        # The new hash in this session (and a new session key: a copy of the old cookie is
        # worth nothing either).
        update_session_auth_hash(self.request, form.user)
        messages.success(
            self.request,
            "Your password is changed. Every other browser signed in as you has been signed "
            "out, and your API tokens have stopped working.",
        )
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: ChangePasswordForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@no_pupil_data
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation, saving through services.password_reset_complete: every
    session of the person ends, recorded, and the person is told by email."""

    def form_valid(self, form: Any) -> HttpResponse:
        password_reset_complete(
            user=form.user,
            new_password=form.cleaned_data["new_password1"],
            address=lockout.client_address(self.request),
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())
