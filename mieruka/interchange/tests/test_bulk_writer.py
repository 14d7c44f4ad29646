"""The set-based write path's own helpers: the JSON text of audit snapshots and the paused garbage collector."""

import gc
import json

from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from mieruka.core.audit import Actor
from mieruka.interchange.bulk import json_text
from mieruka.interchange.readers import Source
from mieruka.interchange.services import portfolio_import
from mieruka.testing.base import PortfolioTestCase

from .helpers import FilesMixin

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
SNAPSHOTS = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(), inner, max_size=6), max_leaves=20)


class SnapshotTextTest(SimpleTestCase):
    @settings(max_examples=300, deadline=None)
    @given(SNAPSHOTS)
    def test_a_snapshot_is_stored_as_json_dumps_writes_it(self, value):
        # The change log of an import must read exactly as that of the same change made one by one.
        assert json_text(value) == json.dumps(value)

    def test_japanese_text_quotes_and_control_characters_are_escaped_as_json_dumps_escapes_them(self):
        value = {"name_ja": "電子申請\u3000システム", "title": 'say "hi"\n\t\\', "amount_yen": 10**20, "rate": 0.1}
        assert json_text(value) == json.dumps(value)
        assert json.loads(json_text(value)) == value


ORGANIZATIONS = "organization_code,name_ja,kind,parent_code\nMIC,総務省,ministry,\n"
SYSTEMS = ("system_id,name_ja,organization_code,classification,status\n"
           "MIC-001,電波利用電子申請システム,MIC,ministry,operation\n")
BAD_SYSTEMS = "system_id,name_ja,organization_code,classification,status\nMIC-002,,MIC,nonsense,operation\n"


class CollectorTest(FilesMixin, PortfolioTestCase):
    def import_(self, systems: str):
        sources = [Source(name="organizations.csv", data=ORGANIZATIONS.encode()),
                   Source(name="systems.csv", data=systems.encode())]
        return portfolio_import(actor=Actor(user=self.admin, name="admin", source="cli"), sources=sources)

    def test_the_garbage_collector_runs_again_after_an_import_whatever_its_outcome(self):
        assert gc.isenabled()
        assert self.import_(SYSTEMS).applied
        assert gc.isenabled()
        refused = self.import_(BAD_SYSTEMS)
        assert not refused.applied and refused.issues
        assert gc.isenabled()

        def interrupt(message):
            if message.startswith("systems"):
                raise KeyboardInterrupt

        with self.assertRaises(KeyboardInterrupt):
            portfolio_import(actor=Actor(user=self.admin, name="admin", source="cli"), progress=interrupt,
                             sources=[Source(name="systems.csv", data=SYSTEMS.replace("MIC-001", "MIC-003").encode())])
        assert gc.isenabled()

    def test_a_collector_switched_off_by_the_caller_stays_off(self):
        gc.disable()
        try:
            assert self.import_(SYSTEMS).applied
            assert not gc.isenabled()
        finally:
            gc.enable()
