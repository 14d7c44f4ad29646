"""API endpoint of background tasks: poll one's own tasks (exports, imports) and download what they made."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action

from mieruka.api.viewsets import PortfolioViewSet
from mieruka.core.choices import Role
from mieruka.core.permissions import user_role

from ..models import TaskRun
from .serializers import TaskRunOutputSerializer


class TaskRunViewSet(PortfolioViewSet):
    """The tasks one started (administrators: everyone's), newest first; as the task pages show them."""

    scope_field = None
    exportable = False
    lookup_value_regex = "[0-9]{1,18}"
    serializer_class = TaskRunOutputSerializer

    def get_base_queryset(self):
        runs = TaskRun.objects.select_related("user")
        if getattr(self, "swagger_fake_view", False):  # the schema is generated without a signed-in person
            return runs.none()
        if user_role(self.request.user) != Role.ADMIN:
            runs = runs.filter(user=self.request.user)
        return runs

    @extend_schema(summary="Download the file a task made", responses={
        (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")})
    @action(detail=True, methods=["get"], url_path="file", pagination_class=None, filter_backends=[])
    def file(self, request, *args, **kwargs):
        run = self.get_object()
        if not run.file or not run.file.storage.exists(run.file.name):
            # None made (yet), or cleaned up after its retention time (docs/operations.md).
            raise exceptions.NotFound()
        return FileResponse(run.file.open("rb"), as_attachment=True, filename=run.file_name or None)
