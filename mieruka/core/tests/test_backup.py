import gzip
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from mieruka.core.audit import audited_create, audited_update
from mieruka.core.backup import _portfolio_models
from mieruka.core.models import ObjectChange
from mieruka.core.selectors import object_history
from mieruka.inventory.models import InformationSystem
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class BackupRestoreTest(PortfolioTestCase):
    def test_a_restored_database_holds_the_same_records_and_history(self):
        actor = self.actor()
        gima = factories.platform(code="GIMA")
        system = audited_create(actor=actor, model=InformationSystem, data={
            "system_id": "B-001", "name_ja": "文書管理システム", "organization": self.mhlw,
            "classification": "ministry", "status": "operation", "platforms": [gima.pk]})
        audited_update(actor=actor, instance=system, data={"hosting": "government_cloud"}, reason="移行")
        factories.budget_line(system=system, amount_yen=123_456_789)
        history_before = list(object_history(instance=system).values_list("action", "reason", "postchange_data"))
        path = self.tmp_path / "backup"

        call_command("backup", str(path))
        content_types = sorted(ContentType.objects.values_list("id", "app_label", "model"))
        # Work continues after the backup; the restore must bring back exactly the backed-up state.
        audited_update(actor=actor, instance=system, data={"name_ja": "別名"}, reason="誤更新")
        factories.system(organization=self.moj, system_id="AFTER-BACKUP")
        call_command("restore", str(path) + ".json.gz", "--yes")

        restored = InformationSystem.objects.get(system_id="B-001")
        assert restored.name_ja == "文書管理システム" and restored.hosting == "government_cloud"
        assert list(restored.platforms.values_list("code", flat=True)) == ["GIMA"]
        assert restored.budget_lines.get().amount_yen == 123_456_789
        assert not InformationSystem.objects.filter(system_id="AFTER-BACKUP").exists()
        history_after = list(object_history(instance=restored).values_list("action", "reason", "postchange_data"))
        assert history_after == history_before
        assert not ObjectChange.objects.filter(reason="誤更新").exists()
        # Content types keep their ids, so other running server processes (which cache them) stay right.
        assert sorted(ContentType.objects.values_list("id", "app_label", "model")) == content_types
        # Users come back too, so people can still log in.
        assert self.client.login(username="analyst", password=self.password)

    def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(self):
        factories.system(organization=self.mhlw, system_id="KEEP")
        bad = self.tmp_path / "bad.json.gz"
        with gzip.open(bad, "wt") as f:
            f.write('{"hello": 1}')
        with pytest.raises(CommandError, match="Not a Mieruka backup"):
            call_command("restore", str(bad), "--yes")
        assert InformationSystem.objects.filter(system_id="KEEP").exists()

    def test_a_restore_brings_back_every_row_exactly_timestamps_included(self):
        actor = self.actor()
        system = audited_create(actor=actor, model=InformationSystem, data={
            "system_id": "B-002", "name_ja": "統計システム", "organization": self.moj,
            "classification": "ministry", "status": "operation"})
        factories.budget_line(system=system, amount_yen=5)
        InformationSystem.objects.filter(pk=system.pk).update(last_updated="2020-01-02T03:04:05.123456+00:00")
        self.client.post("/login/", {"username": "viewer", "password": "wrong"})  # a sign-in row
        first, second = self.tmp_path / "first", self.tmp_path / "second"

        call_command("backup", str(first))
        factories.system(organization=self.moj, system_id="AFTER-BACKUP")
        call_command("restore", str(first) + ".json.gz", "--yes")
        call_command("backup", str(second))

        assert _rows(first) == _rows(second)
        restored = InformationSystem.objects.get(system_id="B-002")
        assert restored.last_updated.isoformat() == "2020-01-02T03:04:05.123456+00:00"
        change = ObjectChange.objects.filter(changed_object_id=restored.pk, action="create").get()
        assert change.changed_object == restored  # content types mapped by natural key

    def test_a_restore_without_a_terminal_and_without_yes_explains_itself_and_changes_nothing(self):
        path = self.tmp_path / "backup"
        call_command("backup", str(path))
        factories.system(organization=self.mhlw, system_id="KEEP")
        with pytest.raises(CommandError, match="run it again with --yes"):
            call_command("restore", str(path) + ".json.gz")
        assert InformationSystem.objects.filter(system_id="KEEP").exists()

    def test_a_backup_in_the_earlier_single_document_format_still_restores(self):
        factories.system(organization=self.mhlw, system_id="OLD-FORMAT")
        dump = self.tmp_path / "dump.json"
        call_command("dumpdata", natural_foreign=True, exclude=["contenttypes", "auth.permission", "sessions",
                                                                 "admin.logentry"], output=str(dump), verbosity=0)
        counts = {m._meta.label_lower: m._default_manager.count() for m in _portfolio_models()}
        legacy = self.tmp_path / "legacy.json.gz"
        with gzip.open(legacy, "wt", encoding="utf-8") as f:
            json.dump({"format": "mieruka-backup/1", "counts": counts, "vendor": "sqlite",
                       "objects": json.loads(dump.read_text(encoding="utf-8"))}, f)
        InformationSystem.objects.all().delete()
        call_command("restore", str(legacy), "--yes")
        assert InformationSystem.objects.filter(system_id="OLD-FORMAT").exists()

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp_path = tmp_path


def _rows(path) -> list[str]:
    """Every line of a backup but its header (which records when it was taken)."""
    with gzip.open(str(path) + ".json.gz", "rt", encoding="utf-8") as f:
        return f.read().splitlines()[1:]
