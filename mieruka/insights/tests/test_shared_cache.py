"""Computed figures live in the cache every worker process shares, so only the first process computes them."""

import uuid
from unittest import mock

from django.core.cache import cache
from django.urls import reverse

from mieruka.core.models import ObjectChange
from mieruka.inventory.selectors import portfolio_version
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase
from mieruka.testing.processes import clean_env, run_python

SETUP = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mieruka.conf.settings'); django.setup()\n"

FIRST_WORKER = SETUP + """
from django.core.management import call_command
call_command("migrate", verbosity=0)
from mieruka.testing import factories
a = factories.organization(code="A", name_ja="甲省", order=1)
b = factories.organization(code="B", name_ja="乙省", order=2)
factories.system(organization=a, name_ja="会計システム", purpose="会計処理")
factories.system(organization=b, name_ja="会計システム", purpose="会計処理")
from mieruka.insights import selectors
print(len(selectors.similar_pairs()))
"""

# The second process cannot compute the pairs at all: it can only answer from the shared cache.
SECOND_WORKER = SETUP + """
from mieruka.insights import selectors, similarity
def recompute(*args, **kwargs):
    raise SystemExit("recomputed: the cache is not shared")
similarity.similar_pairs = recompute
pairs = selectors.similar_pairs()
print(len(pairs), pairs[0].reasons and "reasons")
"""


def test_a_second_worker_process_reads_the_similar_pairs_the_first_one_computed(tmp_path):
    # CACHE_URL passes through: the default database cache, or Redis in CI's Redis run.
    env = clean_env(MIERUKA_DEV="1", MIERUKA_HOME=str(tmp_path), MIERUKA_ENV_FILE="",
                    CACHE_KEY_PREFIX=f"test-shared-{uuid.uuid4().hex}")
    first = run_python(FIRST_WORKER, cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "1"
    second = run_python(SECOND_WORKER, cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.strip() == "1 reasons"


class SignInTests(PortfolioTestCase):
    def setUp(self):
        cache.clear()

    def test_a_sign_in_keeps_the_dashboard_figures_cached(self):
        factories.budget_line(system=factories.system(organization=self.moj), fiscal_year=2025)
        url = reverse("insights:dashboard") + "?fiscal_year=2025"
        self.login()
        assert self.client.get(url).status_code == 200
        version = portfolio_version()
        # Someone else signs in: an audit row, but no portfolio data changed.
        self.client_class().post(reverse("login"), {"username": "viewer", "password": self.password})
        assert ObjectChange.objects.filter(source="auth", action="login", user_name="viewer").exists()
        assert portfolio_version() == version
        with mock.patch("mieruka.insights.selectors.budget_by_owner", side_effect=AssertionError("recomputed")):
            assert self.client.get(url).status_code == 200
