"""The "API access" pages: each person's own tokens (every host), and the trust admin's view of
the tokens of the trust's people (platform host)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.audit.reads import no_pupil_data
from apps.core.forms import add_service_errors
from apps.trust.views import trust_page
from tenants.access import signed_in_user
from tenants.typing import TrustRequest

from . import services
from .forms import NewTokenForm
from .models import ApiToken


def _rows(tokens: Iterable[ApiToken]) -> list[dict[str, Any]]:
    tokens = list(tokens)
    used = services.last_used(tokens)
    return [{"token": t, "last_used_at": used.get(t.pk)} for t in tokens]


@no_pupil_data
@login_required
def my_tokens(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = NewTokenForm(request.POST or None, user=user)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            instance, new_token = services.api_token_issue(
                user=user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Shown once, on this response only: never in a message, a redirect or a log.
            form = NewTokenForm(user=user)
    response = render(
        request,
        "api_access/my_tokens.html",
        {
            "page_title": "API access",
            "rows": _rows(services.live_tokens_for(user)),
            "form": form,
            "new_token": new_token,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke_my_token(request: HttpRequest, token_id: str) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404("No such token of yours.")
    services.api_token_revoke(acting_user=signed_in_user(request), token=token)
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("api-access")


@trust_page("manage_people")
def trust_tokens(request: TrustRequest) -> HttpResponse:
    tokens = (
        services.live_tokens_for_trust(request.trust)
        .select_related("user")
        .order_by("user__full_name", "-created")
    )
    return render(
        request,
        "api_access/trust_tokens.html",
        {"page_title": "API access", "rows": _rows(tokens), "trust": request.trust},
    )


@trust_page("manage_people")
@require_POST
def trust_revoke_token(request: TrustRequest, token_id: str) -> HttpResponse:
    try:
        token = services.api_token_revoke_for_trust(
            acting_user=signed_in_user(request), trust=request.trust, token_id=token_id
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"{token.user.full_name}’s token “{token.name}” no longer works.")
    return redirect("trust-api-access")
