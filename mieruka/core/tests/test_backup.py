import gzip

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mieruka.core.audit import audited_create, audited_update
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

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp_path = tmp_path
