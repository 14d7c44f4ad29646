"""An integrator's view: a Python client generated from /api/schema/ by openapi-python-client type-checks
(mypy, with the code that uses it) and works against the server for a list, filters, a detail, a change
with If-Match and a refused stale change."""

import importlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from mieruka.api.services import token_create
from mieruka.testing import factories

from .base import ApiTestCase, in_process_app

BIN = Path(sys.executable).parent
USAGE = Path(__file__).with_name("generated_client_usage.py")


class GeneratedClientTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.workdir = Path(tempfile.mkdtemp(prefix="mieruka-client-"))
        self.addCleanup(shutil.rmtree, self.workdir, ignore_errors=True)

    def generate(self) -> Path:
        schema = self.api(self.admin).get("/api/schema/?format=json")
        assert schema.status_code == 200
        (self.workdir / "schema.json").write_bytes(schema.content)
        # No post-hooks: the formatter hooks are optional and the generator then needs nothing but itself.
        (self.workdir / "config.yaml").write_text("post_hooks: []\npackage_name_override: mieruka_client\n")
        result = subprocess.run(
            [BIN / "openapi-python-client", "generate", "--path", "schema.json", "--config", "config.yaml",
             "--output-path", "client"],
            cwd=self.workdir, capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        # A warning means an endpoint or type was left out of the client.
        assert "warning" not in (result.stdout + result.stderr).lower(), result.stdout + result.stderr
        return self.workdir / "client"

    def test_a_generated_client_type_checks_and_lists_filters_reads_changes_and_gets_412(self):
        mine = factories.system(organization=self.mhlw, name_ja="年金記録システム", important=True,
                                status="operation")
        factories.system(organization=self.mhlw, important=False, status="operation")
        factories.system(organization=self.moj, important=True, status="operation")
        root = self.generate()
        shutil.copy(USAGE, root / "usage.py")

        check = subprocess.run(
            [BIN / "mypy", "--no-incremental", "--cache-dir", str(self.workdir / ".mypy"),
             "--disallow-untyped-defs", "--warn-unused-ignores", "mieruka_client", "usage.py"],
            cwd=root, capture_output=True, text=True, timeout=300,
        )
        assert check.returncode == 0, check.stdout + check.stderr

        sys.path.insert(0, str(root))
        self.addCleanup(sys.path.remove, str(root))
        self.addCleanup(lambda: [sys.modules.pop(m) for m in list(sys.modules)
                                 if m == "usage" or m.startswith("mieruka_client")])
        client_module = importlib.import_module("mieruka_client")
        usage = importlib.import_module("usage")
        _, key = token_create(user=self.pjmo, name="連携テスト", days=30)
        client = client_module.AuthenticatedClient(
            base_url="http://testserver", token=key,
            httpx_args={"transport": httpx.WSGITransport(app=in_process_app())},
        )

        seen = usage.run(client, mine.system_id)

        assert seen["count"] == 2  # the PJMO sees their ministry's systems only
        assert seen["important"] == [mine.system_id]
        assert seen["read"] == "年金記録システム"
        assert seen["changed"] == (200, "給付記録の管理", True)
        assert seen["stale"] == (412, "precondition_failed")
        mine.refresh_from_db()
        assert mine.purpose == "給付記録の管理"
