from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

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
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import lockout
from .access import school_access_for, schools_for, signed_in_user
from .forms import AcceptInvitationForm, SignInForm
from .hop import make_hop_token, peek_hop, read_hop, safe_landing, school_hop_url
from .hosts import platform_url, school_host, school_url
from .models import School, TrustMembership, User
from .services import invitation_accept, invitation_for_token


def _second_step_done(request: HttpRequest, user: User) -> bool:
    """Whether this session may issue hop links: it passed the two-step check, or the person
    needs none (the same decisions as apps.security.middleware, taken now)."""
    from apps.security import mfa

    if mfa.session_passed(request.session):
        return True
    if mfa.has_mfa(user):
        if mfa.is_remembered(request, user):
            mfa.mark_passed(request.session)
            return True
        return False
    if mfa.mfa_required(user):
        return False
    mfa.mark_not_needed(request.session)
    return True


class SignInView(auth_views.LoginView):
    """Sign in on any host. On a school's host, a signed-out browser is first sent to the platform
    host: if it is signed in there, it comes back with a one-time hop link and the page offers
    "Continue as <name>" (continue_as); otherwise it comes back marked `checked` to this form."""

    template_name = "registration/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        school = getattr(request, "school", None)
        if (
            school is not None
            and not request.user.is_authenticated
            and "checked" not in request.GET
        ):
            landing = safe_landing(request.GET.get("next") or "/")
            query = urlencode({"next": landing}) if landing != "/" else ""
            target = reverse("continue-to-school", args=[school.slug])
            return HttpResponseRedirect(platform_url(f"{target}?{query}" if query else target))
        return super().get(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return platform_pass_through(self.request, super().get_success_url())


def platform_pass_through(request: HttpRequest, url: str) -> str:
    """Signed in on a school's host (password, and the two-step code when the person has one):
    the address that passes through the platform host once (a hop there and straight back to
    `url`), so the next school this browser opens can offer "Continue as <name>" instead of
    asking for the password again. Anywhere else, or while the code is still owed, `url`."""
    school = getattr(request, "school", None)
    user = request.user
    if school is None or not isinstance(user, User) or school_access_for(user, school) is None:
        return url
    if not _second_step_done(request, user):
        # Hop links come only from sessions past the two-step check: someone who still owes
        # their code goes to it first; the two-step page passes through once it is given.
        return url
    landing = safe_landing(url).partition("?")[0]
    back = (
        reverse("switch-school-to", args=[school.slug])
        if landing == "/"
        else reverse("switch-school-then", args=[school.slug, landing.lstrip("/")])
    )
    token = make_hop_token(user_id=user.id, target_host=settings.PLATFORM_DOMAIN, landing=back)
    return platform_url(f"/auth/hop/{token}/")


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


def _hop_redirect(user: User, target: str, landing: str = "/") -> HttpResponseRedirect:
    if target == "trust":
        token = make_hop_token(user_id=user.pk, target_host=settings.PLATFORM_DOMAIN)
        return HttpResponseRedirect(platform_url(f"/auth/hop/{token}/"))
    school = schools_for(user).filter(schema_name=target.replace("-", "_")).first()
    if school is None:
        raise Http404("No such school for you.")
    # The landing path is checked again (local, codes only) when the hop token is made.
    return HttpResponseRedirect(school_hop_url(user_id=user.pk, slug=school.slug, landing=landing))


@login_required
@require_POST
def switch_school(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("to", "")
    user = signed_in_user(request)
    if target == "trust" and not TrustMembership.objects.filter(user=user).exists():
        raise Http404
    return _hop_redirect(user, target)


@login_required
@require_GET
def switch_school_to(request: HttpRequest, slug: str, landing: str = "") -> HttpResponse:
    """GET /switch/<slug>/?to=/concerns/ (or /switch/<slug>/then/concerns/): hop into that
    school, landing on a local path."""
    return _hop_redirect(
        signed_in_user(request),
        slug,
        landing=f"/{landing}" if landing else request.GET.get("to", "/"),
    )


@require_GET
def continue_to_school(request: HttpRequest, slug: str) -> HttpResponse:
    """Platform host: a school's sign-in page sent the browser here. Signed in here and a member
    of that school: back with a one-time hop link (continue_as); otherwise back to the form."""
    landing = safe_landing(request.GET.get("next") or "/")
    form_query = {"checked": "1", **({"next": landing} if landing != "/" else {})}
    back_to_form = school_url(slug, f"{reverse('sign-in')}?{urlencode(form_query)}")
    user = request.user
    if not isinstance(user, User) or request.session.get("bound_host") != _host(request):
        return HttpResponseRedirect(back_to_form)
    if not _second_step_done(request, user):
        return HttpResponseRedirect(back_to_form)  # signed in here, but the code is still owed
    school = schools_for(user).filter(schema_name=slug.replace("-", "_")).first()
    if school is None:
        return HttpResponseRedirect(back_to_form)
    token = make_hop_token(user_id=user.id, target_host=school_host(school.slug), landing=landing)
    return HttpResponseRedirect(school_url(school.slug, reverse("continue-as", args=[token])))


@require_http_methods(["GET", "POST"])
def continue_as(request: HttpRequest, token: str) -> HttpResponse:
    """School host: "Continue as <name>" with a hop link from the platform host. GET asks (the
    token is not spent, so the person can choose another account); POST signs in."""
    host = _host(request)
    hop = read_hop(token, host=host) if request.method == "POST" else peek_hop(token, host=host)
    if hop is None:
        messages.error(request, "That sign-in link has expired. Please sign in.")
        return HttpResponseRedirect(f"{reverse('sign-in')}?checked=1")
    user, landing = hop
    if request.method == "GET":
        return render(
            request,
            "registration/continue_as.html",
            {"continuing_as": user, "page_title": "Sign in", "landing": landing},
        )
    request.session.flush()
    login(request, user, backend="tenants.auth.EmailBackend")
    # The link was made only for a platform session past the two-step check (continue_to_school).
    from apps.security.mfa import mark_passed

    mark_passed(request.session)
    return redirect(landing)


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


def ping(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def school_list_for(user: User) -> QuerySet[School]:
    return schools_for(user)


__all__ = ["School"]
