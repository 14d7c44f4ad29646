"""An import that stops part-way through writing leaves the portfolio exactly as it was."""

from mieruka.core.audit import Actor
from mieruka.interchange.models import ImportBatch
from mieruka.interchange.readers import Source
from mieruka.interchange.services import portfolio_import
from mieruka.testing.base import PortfolioTestCase

from .helpers import FilesMixin

ORGANIZATIONS = "organization_code,name_ja,kind,parent_code\nMIC,総務省,ministry,\n"
SYSTEMS = "system_id,name_ja,organization_code,classification,status\nMIC-001,電波利用電子申請システム,MIC,ministry,operation\n"
PROJECTS = "project_id,name_ja,organization_code,phase,system_ids\nMIC-P1,電波システム刷新,MIC,operation,MIC-001\n"


class Interrupted(Exception):
    """What the command line sees when the person presses Ctrl-C while the import is writing."""


class InterruptedImportTest(FilesMixin, PortfolioTestCase):
    def test_an_import_interrupted_after_writing_systems_leaves_nothing_behind(self):
        sources = [Source(name=name, data=text.encode()) for name, text in (
            ("organizations.csv", ORGANIZATIONS), ("systems.csv", SYSTEMS), ("projects.csv", PROJECTS))]
        before = self.portfolio_counts()
        said = []

        def progress(message):
            said.append(message)
            # Organizations and systems have been written by the time projects start.
            if message.startswith("projects"):
                raise Interrupted

        actor = Actor(user=self.admin, name="admin", source="cli")
        with self.assertRaises(Interrupted):
            portfolio_import(actor=actor, sources=sources, progress=progress)

        assert any(m.startswith("systems") for m in said), said
        assert self.portfolio_counts() == before
        assert not ImportBatch.objects.exists()
