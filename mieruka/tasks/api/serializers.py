"""API representation of a background task: status, progress, summary, problems found and the file."""

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from mieruka.api.serializers import OutputSerializer

from .. import registry
from ..models import TaskRun


class TaskProblemSerializer(serializers.Serializer):
    """One problem an import check found, as the import page lists it."""

    file = serializers.CharField()
    row = serializers.IntegerField(allow_null=True, help_text="The row in the file (1 = the header).")
    column = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True, allow_null=True)
    reason_ja = serializers.CharField()
    reason_en = serializers.CharField()


class TaskRunOutputSerializer(OutputSerializer):
    title = serializers.SerializerMethodField(help_text="What the task does, in the reader's language.")
    message = serializers.SerializerMethodField(help_text="The step it is at, in the reader's language.")
    percent = serializers.IntegerField(allow_null=True, read_only=True,
                                       help_text="Share done; null while the task only reports steps.")
    is_finished = serializers.BooleanField(read_only=True, help_text="true once it succeeded or failed.")
    finished_at = serializers.DateTimeField(source="finished", allow_null=True, read_only=True)
    problems = serializers.SerializerMethodField(help_text=(
        "For an import: the row-level problems found (nothing was written if there are any)."))
    file_url = serializers.SerializerMethodField(help_text="Where to download the file it made, if any.")

    class Meta:
        model = TaskRun
        fields = ["id", "kind", "title", "subject", "status", "message", "done", "total", "percent",
                  "is_finished", "created", "started", "finished_at", "summary", "problems", "file_name",
                  "file_url", "error_ja", "error_en"]

    def get_title(self, obj) -> str:
        return str(registry.title_of(obj.kind))

    def get_message(self, obj) -> str:
        return _(obj.message) if obj.message else ""

    def get_problems(self, obj) -> TaskProblemSerializer(many=True):
        return list(obj.summary.get("issues", [])) if isinstance(obj.summary, dict) else []

    def get_file_url(self, obj) -> str | None:
        if not obj.file:
            return None
        path = reverse("api:task-file", kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
