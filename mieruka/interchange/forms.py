from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mieruka.core.errors import bilingual

from .readers import READABLE_SUFFIXES


def max_upload_bytes() -> int:
    """The largest file the import page accepts (setting MIERUKA_IMPORT_MAX_UPLOAD_MB, default 50)."""
    return int(getattr(settings, "MIERUKA_IMPORT_MAX_UPLOAD_MB", 50)) * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File to import"),
        help_text=_("An XLSX workbook (one sheet per table), a JSON file, or one CSV file named after its "
                    "table (for example systems.csv)."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(READABLE_SUFFIXES)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(READABLE_SUFFIXES):
            raise ValidationError(bilingual("CSV・XLSX・JSON のいずれかのファイルを選んでください",
                                            "Choose a CSV, XLSX or JSON file"))
        if upload.size > max_upload_bytes():
            limit = max_upload_bytes() // (1024 * 1024)
            raise ValidationError(bilingual(
                f"ファイルが大きすぎます（上限 MIERUKA_IMPORT_MAX_UPLOAD_MB = {limit} MB）。コマンドで取り込んでください",
                f"The file is too large (limit MIERUKA_IMPORT_MAX_UPLOAD_MB = {limit} MB); use the import command"))
        return upload
