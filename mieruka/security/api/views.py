"""API endpoint of security findings, over the shared viewset: read-only, scoped and restricted."""

from mieruka.api.viewsets import PortfolioViewSet
from mieruka.core.errors import PermissionRefused
from mieruka.core.permissions import can_read_restricted_records

from ..filtersets import SecurityFindingFilterSet
from ..selectors import finding_list
from ..views import CSV_COLUMNS
from .serializers import SecurityFindingOutputSerializer


class SecurityFindingViewSet(PortfolioViewSet):
    """Continuous-diagnosis findings, filtered like the findings page (`past_sla`, `as_of`, …); only for
    cleared roles and, within their own organization, PJMO editors. Findings are written on the system's
    security page, in the admin or by import."""

    lookup_field = "finding_id"
    scope_field = "system__organization"
    filterset_class = SecurityFindingFilterSet
    serializer_class = SecurityFindingOutputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and not can_read_restricted_records(request.user):
            raise PermissionRefused("セキュリティ情報は、クリアランスのある担当者と当該情報システムのPJMOだけが閲覧できます",
                                    "Security facts are shown only to cleared roles and to the system's own PJMO")

    def get_base_queryset(self):
        return finding_list(user=self.request.user)

    def export_rows(self, queryset):
        yield [c for c in CSV_COLUMNS if c != "past_sla"]
        for f in queryset.iterator(chunk_size=500):
            yield [f.finding_id, f.system.system_id, f.title, f.severity, f.found_on.isoformat(),
                   f.due_on.isoformat(), f.fixed_on.isoformat() if f.fixed_on else "", f.status,
                   f.acceptance_reason, f.source, f.notes]
