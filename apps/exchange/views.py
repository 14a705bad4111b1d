"""Import pages (/imports/: upload, preview with the per-row plan or the error report, confirm)
and the exports page (/exports/). Downloads are POSTs: no pupil identifier ever sits in a URL
query string."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.reads import audited_page, no_pupil_data
from apps.audit.services import record
from apps.core.forms import add_service_errors
from tenants.gates import reads_only

from . import access as rights
from . import exports, selectors, services
from .actions import ExchangeAction
from .api import send
from .forms import ImportUploadForm, LeaverCtfForm, SubjectAccessForm
from .mis_csv import COLUMNS, template_csv


@audited_page("the imports page")
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    rights.RIGHTS.require(request.school_access, "import")
    form = ImportUploadForm()
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            limit = services.max_import_bytes()
            if upload.size > limit:
                form.add_error(
                    "file",
                    f"The file is {upload.size / 1048576:.1f} MB; the largest import allowed is {limit / 1048576:.0f} MB.",
                )
            else:
                try:
                    batch = services.import_upload(
                        acting_user=request.user,
                        data=upload.read(),
                        original_name=upload.name,
                        kind=form.cleaned_data["kind"] or None,
                        request=request,
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    return redirect("import-detail", import_id=batch.pk)
    recent = selectors.recent_imports()
    return render(
        request,
        "exchange/imports.html",
        {
            "form": form,
            "columns": COLUMNS,
            "recent": recent,
            "page_title": "Import pupils",
            "max_mb": services.max_import_bytes() // 1048576,
        },
        status=400 if form.errors else 200,
    )


@no_pupil_data
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    rights.RIGHTS.require(request.school_access, "import")
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="senco-hub-pupil-import-template.csv"'
    return response


@require_GET
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    batch = rights.get_import_for(request.school_access, import_id)
    record(
        user=request.user,
        action=ExchangeAction.IMPORT_VIEWED,
        summary=f"Viewed import {batch.pk} (its preview or report)",
        request=request,
        extra={"import_id": batch.pk},
    )
    preview = batch.preview
    changed = [p for p in preview if p["action"] != "unchanged"]
    return render(
        request,
        "exchange/import_detail.html",
        {
            "batch": batch,
            "changed": changed,
            "unchanged": len(preview) - len(changed),
            "page_title": f"Import {batch.pk}",
        },
    )


@require_POST
def import_confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    batch = rights.get_import_for_write(request.school_access, import_id)
    try:
        batch = services.import_confirm(acting_user=request.user, batch=batch, request=request)
    except services.ImportFailed as exc:
        messages.error(request, str(exc))
        return redirect("import-detail", import_id=exc.batch.pk)
    c = batch.counts
    messages.success(
        request,
        f"Imported: {c.get('create', 0)} pupils added, {c.get('update', 0)} updated, {c.get('unchanged', 0)} unchanged; {c.get('history_added', 0)} SEN history entries added.",
    )
    return redirect("import-detail", import_id=batch.pk)


@require_POST
def import_discard(request: HttpRequest, import_id: int) -> HttpResponse:
    batch = rights.get_import_for_write(request.school_access, import_id)
    services.import_discard(acting_user=request.user, batch=batch, request=request)
    messages.success(request, "The import was discarded; nothing was written.")
    return redirect("imports")


def _pupils():
    return selectors.pupils_for_exports()


@audited_page("the exports page")
@reads_only
@require_http_methods(["GET", "POST"])
def exports_page(request: HttpRequest, pupil_id: int | None = None) -> HttpResponse:
    """The exports; /exports/pupils/<id>/ opens it with that pupil chosen (from the pupil page)."""
    access = getattr(request, "school_access", None)
    rights.RIGHTS.require(request.school_access, "export")
    initial = {}
    if pupil_id is not None:
        chosen = _pupils().filter(pk=pupil_id).first()
        if chosen is None:
            raise Http404("No such pupil.")
        initial = {"pupil": chosen.pk}
    ctf_form = LeaverCtfForm(pupils=_pupils(), initial=initial)
    sar_form = (
        SubjectAccessForm(pupils=_pupils(), initial=initial)
        if rights.can(access, "export_subject_access")
        else None
    )
    if request.method == "POST":
        what = request.POST.get("export")
        if what == "census":
            return send(exports.census_export(acting_user=request.user, request=request))
        if what in ("register_csv", "register_xlsx"):
            return send(
                exports.register_export(
                    acting_user=request.user, file_format=what.split("_")[1], request=request
                )
            )
        if what == "leaver_ctf":
            ctf_form = LeaverCtfForm(request.POST, pupils=_pupils())
            if ctf_form.is_valid():
                d = ctf_form.cleaned_data
                return send(
                    exports.leaver_ctf_export(
                        acting_user=request.user,
                        pupil=d["pupil"],
                        dest_la=d["dest_la"],
                        dest_estab=d["dest_estab"],
                        request=request,
                    )
                )
        elif what == "subject_access":
            if sar_form is None:
                raise PermissionDenied(
                    "Only the SENCo and headteacher can make a subject access export."
                )
            sar_form = SubjectAccessForm(request.POST, pupils=_pupils())
            if sar_form.is_valid():
                return send(
                    exports.subject_access_export(
                        acting_user=request.user,
                        pupil=sar_form.cleaned_data["pupil"],
                        request=request,
                    )
                )
        else:
            messages.error(request, "Choose an export.")
    has_errors = bool(ctf_form.errors or (sar_form and sar_form.errors))
    return render(
        request,
        "exchange/exports.html",
        {"ctf_form": ctf_form, "sar_form": sar_form, "page_title": "Exports"},
        status=400 if has_errors else 200,
    )
