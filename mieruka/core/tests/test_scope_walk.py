"""No page, download or API list shows a person another organization's systems or amounts.

The walk visits every URL pattern the URLconf has (`mieruka.testing.urlwalk`), as each role: the
Digital Agency admin, an analyst, a reviewer, the PJMO editor of the Ministry of Health, a viewer of the
Ministry of Land, Infrastructure, Transport and Tourism (the demo portfolio's named users), and an
anonymous visitor. Path parameters are
filled with a record the person may read and one they may not; pages without path parameters get the
query strings a person would use (search, filters, fiscal year, page, CSV). No answer may be a server
error, and no body — HTML, CSV, JSON, XLSX — may contain a system ID or a budget amount of a system
outside the person's scope. A pattern added later fails the walk until it is given a visit plan or listed
in LEFT_OUT with its reason.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from urllib.parse import quote, unquote

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.test import TestCase, override_settings

from mieruka.api.services import token_create
from mieruka.budgets.models import BudgetLine
from mieruka.core.formatting import fiscal_year_of
from mieruka.core.models import ObjectChange
from mieruka.core.permissions import visible_organization_ids
from mieruka.demo.generator import demo_portfolio_generate, demo_users_ensure
from mieruka.inventory.models import InformationSystem, Interface
from mieruka.tasks.choices import TaskStatus
from mieruka.tasks.models import TaskRun
from mieruka.testing.urlwalk import Route, has_visit_plan, path_params, queries_for, routes

# Patterns visited for 5xx only, not searched for other organizations' data, and why.
PUBLIC_BY_DESIGN = {
    "interchange:open_data_file": "the published open data: every ministry's public columns, for everyone",
    "insights:plotly_js": "a vendored charting library; its digits are code, not amounts",
}

# Patterns not visited at all, and why. The Django admin is for superusers, who read everything, and its
# pages are generated per model; the walk visits its index and every model's list as each role.
ADMIN_VISITED = re.compile(r"^admin:(index|\w+_changelist)$")


def left_out(route: Route) -> str | None:
    if route.name.startswith("admin") and not ADMIN_VISITED.match(route.name):
        return "Django admin page of one object or form: superusers only; non-staff are sent to its login"
    if route.route.startswith(("^static/", "static/")):
        return "static files, served by the development server with DEBUG only: no portfolio data"
    return None


def _tokens(body: str) -> set[str]:
    """Words (system IDs among them) and numbers, "1,234,567" read as "1234567"."""
    words = set(re.findall(r"[\w-]+", body))
    numbers = {n.replace(",", "") for n in re.findall(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d.])", body)}
    return words | numbers


def _text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # XLSX (and ZIP): search the XML inside
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return content.decode("utf-8", "replace")


@override_settings(INSIGHTS_DASHBOARD_CACHE_SECONDS=0,
                   PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class ScopeWalkTest(TestCase):
    """On the demo portfolio (every app's records, across all ministries) with the demo's named users."""

    @classmethod
    def setUpTestData(cls):
        demo_portfolio_generate(systems=40, seed=3)
        demo_users_ensure()
        # Demo amounts are whole thousands of yen, so a total of one's own lines could equal another
        # ministry's line by chance; to the yen, a match means the amount itself is shown.
        BudgetLine.objects.update(amount_yen=F("amount_yen") + Mod(F("pk"), 997) + 1)
        users = {u.username: u for u in get_user_model().objects.all()}
        cls.admin, cls.analyst, cls.reviewer = users["admin"], users["analyst"], users["reviewer"]
        cls.pjmo, cls.viewer = users["pjmo_mhlw"], users["viewer"]  # 厚生労働省 editor, 国土交通省 viewer
        assert (cls.pjmo.mieruka_role.organization.code, cls.viewer.mieruka_role.organization.code) == (
            "MHLW", "MLIT")
        for user in (cls.pjmo, cls.viewer, cls.analyst):
            token_create(user=user, name="走査", days=1)
        cls.fiscal_year = fiscal_year_of(datetime.date.today())
        # Everyone's own finished task, then the administrator's, whose step, figures and file name a
        # ministry outside MHLW and MLIT: the walk opens it as the others, who must not see it.
        for user in (cls.pjmo, cls.viewer, cls.analyst, cls.reviewer):
            cls.task_of(user, "S-none")
        other = InformationSystem.objects.exclude(organization__code__in=("MHLW", "MLIT")).order_by("pk").first()
        cls.admin_task = cls.task_of(cls.admin, other.system_id)

    @staticmethod
    def task_of(user, system_id: str) -> TaskRun:
        run = TaskRun.objects.create(kind="system_export", user=user, status=TaskStatus.SUCCEEDED,
                                     message=f"{system_id} を書き出しました", done=1, total=1,
                                     summary={"figures": [[system_id, 1]]}, file_name=f"{system_id}.csv")
        run.file.save(f"{system_id}.csv", ContentFile(f"system_id\n{system_id}\n".encode()))
        return run

    def walk(self, user):
        """Visit every pattern as `user`; return the number of requests made."""
        if user is not None:
            self.client.force_login(user)
        visible = visible_organization_ids(user if user is not None else AnonymousUser())
        secrets = self.outside_scope(visible)
        other = "MOJ"
        uncovered, visits, failures = [], 0, []
        for route in routes():
            if left_out(route):
                continue
            if not has_visit_plan(route):
                uncovered.append(route.name)
                continue
            for params in path_params(route, visible_ids=visible):
                url = route.url(**params)
                for query in queries_for(route, other_organization=other, fiscal_year=self.fiscal_year):
                    visits += 1
                    response = self.client.get(url, query)
                    where = f"{url}?{query}"
                    if response.status_code >= 500:
                        failures.append(f"{where}: {response.status_code}")
                        continue
                    if route.name in PUBLIC_BY_DESIGN:
                        continue
                    body = _text_of(response)
                    for echoed in {url, quote(url), unquote(url), *map(str, query.values())}:
                        body = body.replace(echoed, "")
                    leaked = secrets & _tokens(body)
                    if leaked:
                        failures.append(f"{where}: shows {sorted(leaked)[:5]}")
        assert not uncovered, f"pages without a visit plan (give them one in urlwalk, or a reason): {uncovered}"
        assert not failures, "\n".join(failures[:40])
        return visits

    def outside_scope(self, visible: set[int] | None) -> set[str]:
        """The system IDs and budget amounts (as digits) of systems outside `visible` (None: nothing)."""
        if visible is None:
            return set()
        outside = InformationSystem.objects.exclude(organization_id__in=visible)
        # An interface may link to any ministry's system (docs/api.md): the other end's ID is shown with it.
        linked = Interface.objects.filter(Q(from_system__organization_id__in=visible)
                                          | Q(to_system__organization_id__in=visible))
        partners = {i for pair in linked.values_list("from_system__system_id", "to_system__system_id") for i in pair}
        # A system moved to another ministry (こども家庭庁's transfers) keeps its history visible to the one it
        # left (core/selectors.py, change_list_for_user): its ID shows there by design.
        moved_out = set(InformationSystem.objects.filter(pk__in=ObjectChange.objects.filter(
            changed_object_type=ContentType.objects.get_for_model(InformationSystem),
            prechange_data__organization__in=sorted(visible)).values("changed_object_id")).values_list(
            "system_id", flat=True))
        ids = set(outside.values_list("system_id", flat=True)) - partners - moved_out
        inside_amounts = set(BudgetLine.objects.filter(system__organization_id__in=visible)
                             .values_list("amount_yen", flat=True))
        amounts = {str(a) for a in BudgetLine.objects.filter(system__in=outside).values_list("amount_yen", flat=True)
                   if a >= 10_000_000 and a not in inside_amounts}
        assert ids and amounts, "the demo portfolio has records outside this scope"
        return ids | amounts

    def test_the_pjmo_of_one_ministry_sees_nothing_of_other_organizations(self):
        assert self.walk(self.pjmo) > 300

    def test_a_viewer_of_another_ministry_sees_nothing_of_other_organizations(self):
        assert self.walk(self.viewer) > 300

    def test_an_anonymous_visitor_sees_no_portfolio_data(self):
        assert self.walk(None) > 300

    # Portfolio-wide readers have nothing outside their scope; their walks find server errors.
    def test_the_admin_gets_no_server_error_anywhere(self):
        assert self.walk(self.admin) > 300

    def test_an_analyst_gets_no_server_error_anywhere(self):
        assert self.walk(self.analyst) > 300

    def test_a_reviewer_gets_no_server_error_anywhere(self):
        assert self.walk(self.reviewer) > 300

    def test_another_persons_task_is_not_found(self):
        self.client.force_login(self.pjmo)
        for name in ("tasks:detail", "tasks:status", "tasks:download"):
            with self.subTest(name):
                response = self.client.get(Route(name, "", ("pk",)).url(pk=self.admin_task.pk))
                assert response.status_code == 404
                assert self.admin_task.file_name.removesuffix(".csv") not in _text_of(response)
        own = TaskRun.objects.get(user=self.pjmo)
        assert self.client.get(Route("tasks:download", "", ("pk",)).url(pk=own.pk)).status_code == 200

    def test_a_page_added_without_a_visit_plan_fails_the_walk(self):
        from django.urls import path

        from mieruka.conf import urls

        with self.settings(ROOT_URLCONF=type("URLConf", (), {
                "urlpatterns": [*urls.urlpatterns, path("new/<int:pk>/", lambda r, pk: None, name="new_page")]})):
            with self.assertRaisesMessage(AssertionError, "new_page"):
                self.walk(self.viewer)
