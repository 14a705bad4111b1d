from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import lockout
from .access import schools_for
from .forms import AcceptInvitationForm, SignInForm
from .hop import make_hop_token, read_hop, school_hop_url
from .hosts import platform_url, school_url
from .models import School, TrustMembership, User
from .services import invitation_accept, invitation_for_token


class SignInView(auth_views.LoginView):
    template_name = "registration/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class PasswordResetRequestView(auth_views.PasswordResetView):
    """The reset link is built from configured values only (scheme, platform domain, port, and
    the school this host resolved to), never from the request's Host header, which a client
    controls (a forged port or name would send the token to someone else's server)."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        address = lockout.client_address(self.request)
        email = form.cleaned_data["email"]
        address_allowed, account_allowed = lockout.reset_request_allowed(
            email=email, address=address
        )
        if not address_allowed:
            form.add_error(
                None,
                "Too many password reset requests have come from your network. Please wait an "
                "hour and try again, or ask your SENCo or trust to help.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        if not account_allowed:
            # Several emails already went to this address within the hour: send no more, and
            # answer as ever, so the page does not reveal whether the account exists.
            return HttpResponseRedirect(self.get_success_url())
        school = getattr(self.request, "school", None)
        base = school_url(school.slug, "") if school is not None else platform_url("")
        self.extra_email_context = {"link_base": base}
        return super().form_valid(form)


def _host(request: HttpRequest) -> str:
    return request.get_host().split(":")[0].lower()


def _signed_in(request: HttpRequest) -> User:
    """The signed-in user of a @login_required view."""
    user = request.user
    assert isinstance(user, User)
    return user


def _hop_redirect(user: User, target: str) -> HttpResponseRedirect:
    if target == "trust":
        token = make_hop_token(user_id=user.pk, target_host=settings.PLATFORM_DOMAIN)
        return HttpResponseRedirect(platform_url(f"/auth/hop/{token}/"))
    school = schools_for(user).filter(schema_name=target.replace("-", "_")).first()
    if school is None:
        raise Http404("No such school for you.")
    return HttpResponseRedirect(school_hop_url(user_id=user.pk, slug=school.slug))


@login_required
@require_POST
def switch_school(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("to", "")
    user = _signed_in(request)
    if target == "trust" and not TrustMembership.objects.filter(user=user).exists():
        raise Http404
    return _hop_redirect(user, target)


@login_required
@require_GET
def switch_school_to(request: HttpRequest, slug: str) -> HttpResponse:
    return _hop_redirect(_signed_in(request), slug)


@require_GET
def hop(request: HttpRequest, token: str) -> HttpResponse:
    hop = read_hop(token, host=_host(request))
    if hop is None:
        messages.error(request, "That link has expired. Please sign in.")
        return redirect("sign-in")
    user, landing = hop
    request.session.flush()
    login(request, user, backend="tenants.auth.EmailBackend")
    # Hop links are made only by pages behind the two-step check (apps.security.middleware),
    # so the session they came from passed it where it was needed.
    from apps.security.mfa import mark_passed

    mark_passed(request.session)
    return redirect(landing)


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "registration/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="tenants.auth.EmailBackend")
            messages.success(request, "Welcome to SENCo Hub. Your account is ready.")
            return redirect("/")
    return render(
        request, "registration/accept_invitation.html", {"form": form, "invitation": invitation}
    )


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def school_list_for(user: User) -> QuerySet[School]:
    return schools_for(user)


__all__ = ["School"]
