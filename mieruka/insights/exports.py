"""The ranked clusters as a table for CSV and XLSX: one row per member, amounts in exact integer yen."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _


def cluster_rows(clusters: list[dict], fiscal_year: int | None):
    yield [
        _("Cluster"), _("Combined operating cost (yen)"), _("Saving if consolidated onto the cheapest (yen)"),
        _("System ID"), _("Name"), _("Ministry"), _("Operating cost (yen)"), _("Hosting"),
        _("Shared platforms"), _("Fiscal year"), _("Verdict"), _("Reason"),
    ]
    for rank, cluster in enumerate(clusters, start=1):
        decision = cluster.get("decision")
        verdict = decision.get_verdict_display() if decision else _("Undecided")
        reason = decision.reason if decision else ""
        for m in cluster["members"]:
            yield [
                rank, cluster["total"], cluster["saving"], m["system_id"], m["name_ja"], m["ministry"],
                "" if m["cost"] is None else m["cost"], m["hosting"], ";".join(m["platforms"]), fiscal_year or "",
                verdict, reason,
            ]


def clusters_csv(clusters: list[dict], fiscal_year: int | None) -> bytes:
    """UTF-8 with a BOM, like every CSV of Mieruka, so that Excel reads the Japanese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(cluster_rows(clusters, fiscal_year))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def clusters_xlsx(clusters: list[dict], fiscal_year: int | None) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("clusters")
    for row in cluster_rows(clusters, fiscal_year):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
