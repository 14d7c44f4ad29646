"""Shared helpers for the interchange tests: files in a temporary folder and running the commands."""

import io
import shutil
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command

from mieruka.budgets.models import BudgetLine
from mieruka.core.models import ObjectChange
from mieruka.inventory.models import InformationSystem, Interface, Project, SharedPlatform
from mieruka.organizations.models import Organization

SYSTEMS_HEADER = "system_id,name_ja,organization_code,classification,status"


class FilesMixin:
    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp(prefix="mieruka-interchange-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def write(self, name: str, text: str, encoding: str = "utf-8") -> Path:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(encoding))
        return path

    def run_import(self, *paths, dry_run=False, extra=()):
        """(exit status, stdout, stderr) of `mieruka import`."""
        out, err = io.StringIO(), io.StringIO()
        args = [str(p) for p in paths] + (["--dry-run"] if dry_run else []) + list(extra)
        try:
            call_command("import", *args, stdout=out, stderr=err)
        except CommandError as exc:
            return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
        return 0, out.getvalue(), err.getvalue()

    def run_export(self, *args):
        out = io.StringIO()
        call_command("export", *[str(a) for a in args], stdout=out)
        return out.getvalue()

    def portfolio_counts(self) -> dict:
        return {model.__name__: model.objects.count() for model in (
            Organization, InformationSystem, BudgetLine, Project, Interface, SharedPlatform, ObjectChange)}


def empty_the_portfolio():
    """Delete every portfolio record (and the audit trail), children first.

    Records of other apps that point at organizations (user roles, …) go too, whatever they are.
    """
    from django.apps import apps

    from mieruka.monitoring.models import Baseline, StatusReport
    from mieruka.plans.models import Decision, MidTermPlan
    from mieruka.reviews.models import Review

    # Oversight records protect the projects and systems they are about: they go first.
    for model in (Decision, MidTermPlan, StatusReport, Baseline, Review):
        model.objects.all().delete()
    for model in (ObjectChange, BudgetLine, Interface, Project, InformationSystem, SharedPlatform):
        model.objects.all().delete()
    for model in apps.get_models():
        if model is not Organization and any(
                f.many_to_one and f.related_model is Organization for f in model._meta.concrete_fields):
            model.objects.all().delete()
    while Organization.objects.exists():
        Organization.objects.filter(children__isnull=True).delete()
