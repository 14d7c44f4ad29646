"""API endpoint of imports: send an interchange file, get a background task back (a dry run or the import),
poll it at /api/v1/tasks/{id}/ and read the problems found, row by row, as the import page shows them."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.reverse import reverse

from mieruka.api.exceptions import Forbidden
from mieruka.api.filters import bilingual_form_errors
from mieruka.api.throttling import ApiHeadersMixin
from mieruka.core.audit import Actor
from mieruka.core.choices import ChangeSource, Role
from mieruka.core.errors import bilingual
from mieruka.core.permissions import user_role
from mieruka.tasks.api.serializers import TaskRunOutputSerializer

from .. import services, tasks
from ..forms import ImportUploadForm


class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An XLSX workbook, a JSON file, or one CSV file named after its table "
                                           "(e.g. systems.csv), in the interchange format.")
    dry_run = serializers.BooleanField(default=True, help_text=(
        "true (the default): only check the file and report what would change; false: import it "
        "(all or nothing; it is checked again first)."))


class ImportStartedSerializer(serializers.Serializer):
    upload = serializers.UUIDField(help_text="The stored file.")
    dry_run = serializers.BooleanField()
    task = TaskRunOutputSerializer()


class ImportViewSet(ApiHeadersMixin, viewsets.GenericViewSet):
    """Digital Agency administrators only, as on the import page: an import may touch any ministry's records."""

    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    serializer_class = ImportInputSerializer
    pagination_class = None
    filter_backends = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - {"format"})
        if unknown:
            raise exceptions.ValidationError({name[:100]: [bilingual(
                "このパラメーターは使えません", "Unknown parameter")] for name in unknown[:20]})
        if not request.user.is_staff or user_role(request.user) != Role.ADMIN:
            raise Forbidden("取込はデジタル庁の管理者だけが行えます",
                            "Only Digital Agency administrators may import")

    @extend_schema(summary="Check or import an interchange file (as a background task)",
                   request={"multipart/form-data": ImportInputSerializer},
                   responses={202: OpenApiResponse(ImportStartedSerializer, description=(
                       "The task was queued; poll `Location` (/api/v1/tasks/{id}/) until `is_finished`."))})
    def create(self, request, *args, **kwargs):
        serializer = ImportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = ImportUploadForm(files={"file": serializer.validated_data["file"]}, data={})
        if not form.is_valid():
            raise exceptions.ValidationError(bilingual_form_errors(form))
        upload = form.cleaned_data["file"]
        stored = services.import_upload_create(user=request.user, filename=upload.name, content=upload.read())
        actor = Actor.from_request(request, source=ChangeSource.IMPORT)
        dry_run = serializer.validated_data["dry_run"]
        start = tasks.import_check_start if dry_run else tasks.import_apply_start
        run = start(upload=stored, actor=actor)
        run.refresh_from_db()
        location = reverse("api:task-detail", kwargs={"pk": run.pk}, request=request)
        body = {"upload": str(stored.token), "dry_run": dry_run,
                "task": TaskRunOutputSerializer(run, context=self.get_serializer_context()).data}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})

