from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def _is_api(request: HttpRequest) -> bool:
    # An API client gets JSON even for a URL that matches no endpoint.
    return request.path.startswith("/api/")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = (
        str(exception)
        if exception and str(exception)
        else "You do not have permission to see this page."
    )
    if _is_api(request):
        return JsonResponse({"detail": message}, status=403)
    return render(request, "errors/403.html", {"message": message}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The product's 500 page (Django's debug page shows only with DEBUG). Rendered without
    context processors: when something has failed, the page must not need the database."""
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: usually a page left open too long."""
    return render(
        request,
        "errors/403.html",
        {
            "message": "This form had expired, so nothing was saved. Go back, reload the page "
            "and try again.",
            "page_title": "Form expired",
        },
        status=403,
    )


def my_schools(request: HttpRequest) -> HttpResponse:
    """Platform host: the signed-in person's schools; for each school where they are SENCo, that
    school's worklist (counts and a hop link per item, computed in the school's own schema)."""
    from django.contrib.auth.views import redirect_to_login

    from tenants.access import schools_for

    from .worklist import hop_link, my_schools_worklists

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    worklists = my_schools_worklists(request.user)
    senco_ids = {w.school.pk for w in worklists}
    rows = [
        {
            "school": w.school,
            "open_link": hop_link(w.school),
            "total": w.total,
            "items": [{"item": item, "link": hop_link(w.school, item.path)} for item in w.items],
        }
        for w in worklists
    ]
    others = [
        {"school": s, "open_link": hop_link(s)}
        for s in schools_for(request.user)
        if s.pk not in senco_ids
    ]
    return render(
        request,
        "core/my_schools.html",
        {"worklists": rows, "others": others, "page_title": "My schools"},
    )
