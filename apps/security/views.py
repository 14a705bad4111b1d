from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from apps.audit.reads import no_pupil_data

from . import mfa
from .forms import CodeForm, SetupForm, TrustPolicyForm


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
        if mfa.verify_code(user, form.cleaned_data["code"]):
            mfa.mark_passed(request.session)
            request.session.cycle_key()
            response = redirect(_next(request))
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
                {"codes": codes, "next": _next(request), "page_title": "Your recovery codes"},
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
@require_http_methods(["GET", "POST"])
def trust_policy(request: HttpRequest) -> HttpResponse:
    """Trust admin: require two-step sign-in for every member of staff (platform host)."""
    from tenants.models import TrustMembership
    from tenants.roles import TrustRole

    from .models import TrustSecurityPolicy

    if getattr(request, "school", None) is not None:
        raise Http404
    membership = (
        TrustMembership.objects.filter(user=request.user, role=TrustRole.TRUST_ADMIN)
        .select_related("trust")
        .first()
    )
    if membership is None:
        raise Http404
    policy, _ = TrustSecurityPolicy.objects.get_or_create(trust=membership.trust)
    form = TrustPolicyForm(
        request.POST or None,
        initial={"require_mfa_for_all_staff": policy.require_mfa_for_all_staff},
    )
    if request.method == "POST" and form.is_valid():
        policy.require_mfa_for_all_staff = form.cleaned_data["require_mfa_for_all_staff"]
        policy.save()
        messages.success(request, "Saved. The change applies at each person's next request.")
        return redirect("trust-security-policy")
    return render(
        request,
        "security/trust_policy.html",
        {"form": form, "trust": membership.trust, "page_title": "Sign-in security"},
    )
