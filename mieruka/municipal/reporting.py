"""What a reporting campaign may ask a municipality about its business areas, registered with the reporting
app's field registry (reporting never imports this app). A return is pre-filled from the stored records
like every return; accepted answers are written through `municipal_migration_update`."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mieruka.reporting.fields import CHOICE, DATE, TEXT, YEN, AskableField, RecordType

from .choices import MigrationStatus

KEY = "municipal_migration"
DATE_FIELDS = ("target_on", "completed_on")


def _status_choices():
    return list(MigrationStatus.choices)


def _write(*, actor, record, changes: dict, reason: str, fiscal_year: int | None = None) -> None:
    from .services import municipal_migration_update

    data = {name: (datetime.date.fromisoformat(v) if name in DATE_FIELDS and v else v)
            for name, v in changes.items()}
    for name in ("current_system", "vendor", "package"):
        if name in data and data[name] is None:
            data[name] = ""
    municipal_migration_update(actor=actor, migration=record, data=data, reason=reason)


MUNICIPAL_MIGRATION = RecordType(
    key=KEY, label=_("Municipal core business systems"), model_label="municipal.MunicipalMigration",
    writer=_write,
    fields=(
        AskableField(KEY, "status", _("Migration status"), CHOICE, _status_choices),
        AskableField(KEY, "target_on", _("Target date"), DATE),
        AskableField(KEY, "completed_on", _("Completed on"), DATE),
        AskableField(KEY, "current_system", _("Current system"), TEXT),
        AskableField(KEY, "vendor", pgettext_lazy("municipal", "Vendor"), TEXT),
        AskableField(KEY, "package", _("Package"), TEXT),
        AskableField(KEY, "current_cost_yen", _("Current operating cost (yen)"), YEN),
    ),
)
