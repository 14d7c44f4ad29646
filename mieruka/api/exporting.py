"""`GET <list>/export/?format=csv|xlsx|json&<the list's filters>`: a whole filtered list as a file.

The same scope, filters and fields as the list (`?fields=` too). CSV and XLSX cells that a spreadsheet
would run as a formula are neutralised as on the pages' downloads (`spreadsheet_safe`); a list that has a
page download (systems, contracts) is written in that download's interchange columns by the same code, so
the file can be imported back. A list longer than `EXPORT_INLINE_MAX` is written by a background task:
the answer is 202 with the task, which the client polls (`/api/v1/tasks/{id}/`) and then downloads.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from mieruka.core.errors import bilingual
from mieruka.core.formatting import spreadsheet_safe

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# Lists up to this many records are answered at once; longer ones are written by a background task.
EXPORT_INLINE_MAX = 5000
CHUNK = 1000


class ExportNegotiation(DefaultContentNegotiation):
    """`?format=` names the file to make, not a renderer: errors are answered in JSON whatever it says."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def file_name(record_type: str, fmt: str) -> str:
    return f"{record_type}.{fmt}"


def _cell(value):
    """One spreadsheet cell from a value of the API's JSON: a nested record by its code, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        if "display" in value:
            return _cell(value.get("code") or value.get("display"))
        return spreadsheet_safe(json.dumps(value, ensure_ascii=False))
    if isinstance(value, list):
        return spreadsheet_safe(";".join(str(_cell(v)) for v in value))
    return spreadsheet_safe(value)


def _records(view, queryset) -> Iterable[dict]:
    chunk = []
    for instance in queryset.iterator(chunk_size=CHUNK):
        chunk.append(instance)
        if len(chunk) == CHUNK:
            yield from view.get_serializer(chunk, many=True).data
            chunk = []
    if chunk:
        yield from view.get_serializer(chunk, many=True).data


def serializer_rows(view, queryset) -> Iterable[list]:
    """Header and rows: the fields of the list's records, as the API names them."""
    names = list(view.get_serializer().fields)
    yield names
    for record in _records(view, queryset):
        yield [_cell(record.get(name)) for name in names]


def export_write(*, view, queryset, fmt: str, handle, count: Callable[[int], None] = lambda n: None) -> int:
    """Write the list to a binary `handle`; return the number of records."""
    written = 0
    if fmt == "json":
        handle.write(b'{"results":[')
        for record in _records(view, queryset):
            handle.write((b"," if written else b"") + json.dumps(record, ensure_ascii=False).encode("utf-8"))
            written += 1
            if written % 500 == 0:
                count(written)
        handle.write(b'],"count":' + str(written).encode() + b"}")
        return written
    # A sparse fieldset asks for the API's fields; otherwise a list with a page download uses its columns.
    rows = serializer_rows(view, queryset) if "fields" in view.request.query_params else view.export_rows(queryset)
    if fmt == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(view.basename[:31] if getattr(view, "basename", None) else "records")
        for index, row in enumerate(rows):
            sheet.append(row)
            written = index
            if index and index % 500 == 0:
                count(index)
        workbook.save(handle)
        return written
    # UTF-8 with a BOM, like every CSV of Mieruka, so that Excel reads the Japanese.
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    for index, row in enumerate(rows):
        writer.writerow(row)
        written = index
        if index and index % 500 == 0:
            count(index)
    text.flush()
    text.detach()
    return written


def export_view(*, record_type: str, user, query: str, base_url: str):
    """The list's viewset, reading as `user` with the filters of `query` (for the background task)."""
    from .urls import router
    from .webhooks import api_request

    viewset = next(v for _p, v, name in router.registry if name == record_type)
    request = api_request(user=user, base_url=base_url, query=query)
    view = viewset(action="export", request=request, format_kwarg=None, args=(), kwargs={}, headers={},
                   basename=record_type)
    return view


_FORMAT_PARAM = OpenApiParameter(
    "format", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, enum=list(FORMATS),
    description="The file to make: csv (UTF-8 with BOM), xlsx or json.")


class ExportMixin:
    """The `export` action of every list (see the module's docstring)."""

    exportable = True

    @classmethod
    def get_extra_actions(cls):
        # Lists that are not portfolio records (tasks, webhooks) offer no export route at all.
        actions = super().get_extra_actions()
        return actions if cls.exportable else [a for a in actions if a.__name__ != "export"]

    def export_rows(self, queryset) -> Iterable[list]:
        """Header and rows of the CSV/XLSX file; a list with a page download overrides this with its code."""
        return serializer_rows(self, queryset)

    def export_queryset(self):
        return self.filter_queryset(self.get_queryset())

    @extend_schema(
        summary="Export the filtered list as CSV, XLSX or JSON",
        parameters=[_FORMAT_PARAM],
        # CSV is text (UTF-8 with a BOM), XLSX bytes.
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=(
                "The file, as `format` asks: CSV (text/csv), XLSX or JSON.")),
            (200, FORMATS["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY, description="The list as XLSX."),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description=(
                "`{\"results\": [...], \"count\": n}`: every record as the list shows it.")),
            202: OpenApiResponse(OpenApiTypes.OBJECT, description=(
                "The list is long: a background task writes it. `task` is the task as "
                "`/api/v1/tasks/{id}/` shows it; download its `file_url` when `finished`.")),
        },
    )
    @action(detail=False, methods=["get"], url_path="export", pagination_class=None,
            content_negotiation_class=ExportNegotiation)
    def export(self, request, *args, **kwargs):
        fmt = request.query_params.get("format", "")
        if fmt not in FORMATS:
            raise exceptions.ValidationError({"format": [bilingual(
                "format には csv、xlsx、json のいずれかを指定してください", "Give format as csv, xlsx or json")]})
        queryset = self.export_queryset()
        list(self.get_serializer().fields)  # an unknown ?fields= name is refused before any work
        if queryset.count() > EXPORT_INLINE_MAX:
            from .tasks import api_export_start

            query = request.query_params.copy()
            run = api_export_start(user=request.user, record_type=self.basename, query=query.urlencode(),
                                   fmt=fmt, base_url=request.build_absolute_uri("/"))
            location = request.build_absolute_uri(reverse("api:task-detail", kwargs={"pk": run.pk}))
            from mieruka.tasks.api.serializers import TaskRunOutputSerializer

            body = TaskRunOutputSerializer(run, context=self.get_serializer_context()).data
            return Response({"task": body}, status=status.HTTP_202_ACCEPTED, headers={"Location": location})
        buffer = io.BytesIO()
        export_write(view=self, queryset=queryset, fmt=fmt, handle=buffer)
        response = HttpResponse(buffer.getvalue(), content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{file_name(self.basename, fmt)}"'
        return response
