"""API endpoint of status reports of important projects, over the shared viewset."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status

from mieruka.api.etag import check_if_match
from mieruka.api.viewsets import PortfolioViewSet, change_reason

from ..choices import ASPECTS
from ..filtersets import StatusReportFilterSet
from ..models import StatusReport
from ..selectors import status_report_list
from ..services import status_report_file
from .serializers import StatusReportInputSerializer, StatusReportOutputSerializer


class StatusReportViewSet(PortfolioViewSet):
    """Status reports (状況報告) of important projects, scoped by the project's organization.

    POST files the report of a period, as the report form does; filing a period that already has a report
    amends it, and then needs that report's ETag in If-Match (428 without, 412 if stale). The project's
    PJMO editors (and administrators) file reports. Reports are not deleted.
    """

    scope_field = "project__organization"
    owner = "project.organization"
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = StatusReportFilterSet
    serializer_class = StatusReportOutputSerializer
    input_serializer_class = StatusReportInputSerializer

    def get_base_queryset(self):
        return status_report_list()

    @extend_schema(
        summary="File (or amend) a status report",
        parameters=[OpenApiParameter(
            "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
            description="Only to amend: the ETag of the period's existing report (428 without, 412 if stale).")],
        responses={201: StatusReportOutputSerializer, 200: StatusReportOutputSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        change_reason(request, data)  # the service records its own reason ("amended")
        self.check_write(data=data)
        with transaction.atomic():
            existing = StatusReport.objects.select_for_update().filter(
                project=data["project"], period_end=data["period_end"]).first()
            if existing is not None:
                check_if_match(request, existing)
            report = status_report_file(
                actor=self.actor(), project=data.pop("project"), period_end=data.pop("period_end"),
                overall=data.pop("overall"), ratings={a: data.pop(a, "") for a in ASPECTS}, **data,
            )
        return self.respond(report, status_code=status.HTTP_200_OK if existing else status.HTTP_201_CREATED)
