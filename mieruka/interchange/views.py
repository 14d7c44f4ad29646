"""Import page (staff only), template download and the public open-data page: parse, call, render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mieruka.core.audit import Actor
from mieruka.core.choices import ChangeSource
from mieruka.tasks.selectors import task_run_latest

from . import schema, selectors, services, tasks, writers
from .forms import ImportUploadForm
from .models import ImportBatch, ImportUpload

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPEN_DATA_ZIP = "mieruka-open-data.zip"
CONTENT_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json",
                 ".txt": "text/plain; charset=utf-8", ".zip": "application/zip"}


def staff_required(view):
    """Digital Agency administrators only: an import may touch any ministry's records, so a ministry role
    (even one with admin access) may not run it. Anonymous visitors go to the login page, others get 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        from mieruka.core.choices import Role
        from mieruka.core.permissions import user_role

        if not request.user.is_staff or user_role(request.user) != Role.ADMIN:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _own_upload(request, token) -> ImportUpload:
    return get_object_or_404(ImportUpload, token=token, user=request.user)


@staff_required
def import_upload(request):
    """Store the file and queue its check; the task page shows progress, then links to the preview."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        stored = services.import_upload_create(user=request.user, filename=upload.name, content=upload.read())
        run = tasks.import_check_start(upload=stored, actor=Actor.from_request(request, source=ChangeSource.IMPORT))
        return redirect("tasks:detail", pk=run.pk)
    return render(request, "interchange/import_form.html", {
        "form": form, "batches": selectors.import_batch_list(limit=10),
    })


@staff_required
def import_preview(request, token):
    """The check's report, or, after a confirmation that no longer validated, the import's problems."""
    upload = _own_upload(request, token)
    run = task_run_latest(kinds=[tasks.KIND_CHECK, tasks.KIND_APPLY], subject=str(upload.token), user=request.user)
    if run is None:
        run = tasks.import_check_start(upload=upload, actor=Actor.from_request(request, source=ChangeSource.IMPORT))
    if "tables" not in run.summary:
        # Still running, or failed before it could report: the task page says which.
        return redirect("tasks:detail", pk=run.pk)
    return render(request, "interchange/import_preview.html", {"upload": upload, "report": run.summary})


@staff_required
@require_POST
def import_confirm(request, token):
    """Queue the import; the task page links to the batch when done, or back to the problems found."""
    upload = _own_upload(request, token)
    run = tasks.import_apply_start(upload=upload, actor=Actor.from_request(request, source=ChangeSource.IMPORT))
    return redirect("tasks:detail", pk=run.pk)


@staff_required
@require_POST
def import_cancel(request, token):
    services.import_upload_cancel(upload=_own_upload(request, token))
    messages.success(request, _("Import cancelled; nothing was changed."))
    return redirect("interchange:import")


@staff_required
def batch_detail(request, request_id):
    batch = get_object_or_404(ImportBatch, request_id=request_id)
    counts = [(name, schema.TABLES[name].ja, batch.counts.get(name, {})) for name in schema.TABLE_ORDER]
    return render(request, "interchange/batch_detail.html", {"batch": batch, "counts": counts})


def template_download(request):
    """The empty workbook for ministries; public, since it holds no data."""
    response = HttpResponse(writers.template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mieruka-template.xlsx"'
    return response


def open_data(request):
    """Public page: the open-data files and their data dictionary; no login needed."""
    files = [
        {"name": f"{name}.csv", "title": schema.TABLES[name].ja, "title_en": name}
        for name in schema.PUBLIC_TABLE_ORDER
    ] + [
        {"name": "mieruka.json", "title": _("All tables as one JSON document"), "title_en": "JSON"},
        {"name": "data_dictionary.csv", "title": _("Data dictionary (CSV)"), "title_en": "CSV"},
        {"name": "data_dictionary.json", "title": _("Data dictionary (JSON)"), "title_en": "JSON"},
    ]
    return render(request, "interchange/open_data.html", {
        "files": files, "zip_name": OPEN_DATA_ZIP, "dictionary": writers.data_dictionary(),
    })


def open_data_file(request, filename):
    tables = selectors.portfolio_export(public=True)
    files = writers.open_data_files(tables)
    if filename == OPEN_DATA_ZIP:
        content = writers.zip_bytes(files)
    elif filename in files:
        content = files[filename]
    else:
        raise Http404
    suffix = filename[filename.rfind("."):]
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
