"""List endpoints cost the same number of queries however many records a page holds (no N+1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mieruka.core.audit import audited_update
from mieruka.testing import factories
from mieruka.testing.oversight import oversight_records

from .base import ApiTestCase

LISTS = [
    "/api/v1/organizations/",
    "/api/v1/platforms/",
    "/api/v1/systems/",
    "/api/v1/projects/",
    "/api/v1/interfaces/",
    "/api/v1/budget-lines/",
    "/api/v1/changes/",
    "/api/v1/reviews/",
    "/api/v1/findings/",
    "/api/v1/status-reports/",
    "/api/v1/plans/",
    "/api/v1/decisions/",
    "/api/v1/campaigns/",
    "/api/v1/returns/",
]


class QueryCountTest(ApiTestCase):
    def add_records(self, n):
        for _ in range(n):
            system = factories.system(organization=self.mhlw, platforms=[factories.platform()])
            factories.budget_line(system=system)
            factories.interface(
                from_system=system,
                to_system=system.__class__.objects.exclude(pk=system.pk).first()
                or factories.system(organization=self.mhlw),
            )
            factories.project(systems=[system])
            factories.organization(parent=self.mhlw, kind="division", order=None)
            audited_update(actor=self.actor(), instance=system, data={"purpose": "更新"})
            oversight_records(self.mhlw)

    def count_queries(self, client, url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def test_no_list_issues_a_query_per_row(self):
        for who in (self.admin, self.pjmo):
            client = self.api(who)
            self.add_records(2)
            for url in LISTS:
                self.count_queries(client, url)  # warm caches (content types, …)
            small = {url: self.count_queries(client, url) for url in LISTS}
            self.add_records(5)
            large = {url: self.count_queries(client, url) for url in LISTS}
            assert small == large
            # The change log names related records by code: one query per record type it refers to.
            assert max(large.values()) <= 15, large
