"""Mid-term plans and initiatives created and edited on pages: who may, what the trail keeps, what is refused;
and the plan-against-actual chart, whose figures link to their records and whose increases read as increases."""

import json
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from mieruka.core.errors import ApplicationError, PermissionRefused
from mieruka.core.models import ObjectChange
from mieruka.plans import services
from mieruka.plans.models import Initiative, MidTermPlan
from mieruka.plans.selectors import change_from_base
from mieruka.reviews.tests.helpers import OversightTestCase
from mieruka.testing import factories


def changes_of(obj):
    return ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(type(obj)),
                                       changed_object_id=obj.pk).order_by("time", "id")


PLAN_DATA = {"code": "MHLW-2026", "title": "厚生労働省 情報システム中長期計画", "start_year": "2026",
             "end_year": "2030", "description": "運用等経費の削減"}


class PlanPagesTest(OversightTestCase):
    def post_plan(self, user, **overrides):
        self.login(user)
        return self.client.post(reverse("plans:create"), {**PLAN_DATA, "organization": self.mhlw.pk, **overrides})

    def test_a_pjmo_registers_a_plan_of_its_ministry_and_the_trail_keeps_it(self):
        response = self.post_plan(self.pjmo, reason="2026年度からの計画を策定")
        plan = MidTermPlan.objects.get(code="MHLW-2026")
        self.assertRedirects(response, plan.get_absolute_url())
        change = changes_of(plan).get()
        self.assertEqual((change.action, change.user_name, change.reason), ("create", "pjmo_mhlw", "2026年度からの計画を策定"))

    def test_a_pjmo_is_offered_and_may_choose_only_its_own_ministry(self):
        self.login(self.pjmo)
        form = self.client.get(reverse("plans:create")).context["form"]
        offered = {pk for pk, _ in form.fields["organization"].choices if pk}
        self.assertIn(self.mhlw.pk, offered)
        self.assertNotIn(self.moj.pk, offered)
        response = self.post_plan(self.pjmo, organization=self.moj.pk, code="MOJ-2026")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(MidTermPlan.objects.filter(code="MOJ-2026").exists())

    def test_the_digital_agency_registers_plans_for_any_ministry(self):
        self.post_plan(self.analyst, organization=self.moj.pk, code="MOJ-2026")
        self.assertEqual(MidTermPlan.objects.get(code="MOJ-2026").organization, self.moj)

    def test_viewers_and_reviewers_may_not_create_plans(self):
        for user in (self.viewer, self.reviewer):
            self.login(user)
            self.assertEqual(self.client.get(reverse("plans:create")).status_code, 403)
            self.assertEqual(self.post_plan(user).status_code, 403)
        self.assertFalse(MidTermPlan.objects.exists())

    def test_a_bad_period_is_refused_naming_the_field_in_the_readers_language(self):
        response = self.post_plan(self.pjmo, end_year="2024")
        self.assertEqual(response.status_code, 400)
        errors = response.context["form"].errors
        self.assertIn("計画の最終年度は初年度以降としてください", errors["end_year"][0])
        self.assertNotIn("The last fiscal year must not precede the first", errors["end_year"][0])
        response = self.client.post(reverse("plans:create"), {**PLAN_DATA, "organization": self.mhlw.pk,
                                                              "end_year": "2024"}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertIn("The last fiscal year must not precede the first", response.context["form"].errors["end_year"][0])

    def test_a_duplicate_code_is_refused_on_the_code_field(self):
        self.post_plan(self.pjmo)
        response = self.post_plan(self.pjmo, title="別の計画")
        self.assertEqual(response.status_code, 400)
        self.assertIn("この計画コードは既に使われています", response.context["form"].errors["code"][0])


class PlanEditTest(OversightTestCase):
    def setUp(self):
        self.plan = MidTermPlan.objects.create(organization=self.mhlw, code="MHLW-2026", title="中長期計画",
                                               start_year=2026, end_year=2030)
        self.url = reverse("plans:edit", args=[self.plan.code])

    def edit(self, user, **overrides):
        self.login(user)
        data = {"title": "中長期計画（改定）", "start_year": "2026", "end_year": "2031", "description": "",
                "reason": "計画期間を1年延長", **overrides}
        return self.client.post(self.url, data)

    def test_an_edit_is_audited_with_its_reason_and_keeps_code_and_organization(self):
        response = self.edit(self.pjmo, code="HACKED", organization=self.moj.pk)
        self.assertRedirects(response, self.plan.get_absolute_url())
        plan = self.fresh(self.plan)
        self.assertEqual((plan.code, plan.organization, plan.end_year, plan.title),
                         ("MHLW-2026", self.mhlw, 2031, "中長期計画（改定）"))
        change = changes_of(plan).get(action="update")
        self.assertEqual(change.reason, "計画期間を1年延長")
        self.assertEqual((change.prechange_data["end_year"], change.postchange_data["end_year"]), (2030, 2031))

    def test_an_edit_without_a_reason_is_refused(self):
        response = self.edit(self.pjmo, reason="")
        self.assertEqual(response.status_code, 400)
        self.assertIn("reason", response.context["form"].errors)
        self.assertEqual(self.fresh(self.plan).end_year, 2030)

    def test_another_ministry_cannot_see_or_edit_the_plan_and_a_viewer_cannot_edit(self):
        self.assertEqual(self.edit(self.pjmo_other).status_code, 404)
        self.assertEqual(self.edit(self.viewer).status_code, 403)
        self.assertEqual(self.fresh(self.plan).end_year, 2030)
        self.assertFalse(changes_of(self.plan).exists())

    def test_the_digital_agency_edits_any_ministry_plan(self):
        self.assertEqual(self.edit(self.analyst).status_code, 302)
        self.assertEqual(self.fresh(self.plan).end_year, 2031)

    def test_edit_links_show_only_to_people_who_may_edit(self):
        self.login(self.pjmo)
        self.assertContains(self.client.get(self.plan.get_absolute_url()), self.url)
        self.login(self.viewer)
        self.assertNotContains(self.client.get(self.plan.get_absolute_url()), self.url)


class InitiativePagesTest(OversightTestCase):
    def setUp(self):
        self.plan = MidTermPlan.objects.create(organization=self.mhlw, code="MHLW-2026", title="中長期計画",
                                               start_year=2026, end_year=2030)

    def post(self, user, url=None, **overrides):
        self.login(user)
        data = {"code": "I1", "title": "運用等経費の2割削減", "description": "", "metric": "operating_cost",
                "base_year": "2025", "target_year": "2030", "target_reduction_pct": "20",
                "system_ids": self.system.system_id, "project_ids": self.project.project_id, "reason": "策定",
                **overrides}
        return self.client.post(url or reverse("plans:initiative_create", args=[self.plan.code]), data)

    def test_a_pjmo_adds_an_initiative_with_its_systems_and_projects(self):
        response = self.post(self.pjmo)
        initiative = Initiative.objects.get(plan=self.plan, code="I1")
        self.assertRedirects(response, reverse("plans:initiative_detail", args=[self.plan.code, "I1"]))
        self.assertEqual((list(initiative.systems.all()), list(initiative.projects.all())), ([self.system], [self.project]))
        change = changes_of(initiative).get()
        self.assertEqual(change.postchange_data["systems"], [self.system.pk])

    def test_another_ministry_system_unknown_ids_and_a_target_before_the_base_are_refused_by_field(self):
        response = self.post(self.pjmo, system_ids=self.moj_system.system_id)
        self.assertEqual(response.status_code, 400)
        self.assertIn(self.moj_system.system_id, response.context["form"].errors["system_ids"][0])
        response = self.post(self.pjmo, system_ids="S-NOPE")
        self.assertIn("システムが見つかりません: S-NOPE", response.context["form"].errors["system_ids"][0])
        response = self.post(self.pjmo, target_year="2024")
        self.assertIn("目標年度は基準年度より後にしてください", response.context["form"].errors["target_year"][0])
        response = self.post(self.pjmo, target_reduction_pct="150")
        self.assertIn("target_reduction_pct", response.context["form"].errors)
        self.assertFalse(Initiative.objects.exists())

    def test_only_its_ministry_and_the_digital_agency_add_initiatives(self):
        self.assertEqual(self.post(self.pjmo_other).status_code, 404)
        self.assertEqual(self.post(self.viewer).status_code, 403)
        self.assertFalse(Initiative.objects.exists())
        self.assertEqual(self.post(self.analyst).status_code, 302)

    def test_an_initiative_edit_changes_the_target_with_a_reason(self):
        self.post(self.pjmo)
        initiative = Initiative.objects.get(code="I1")
        url = reverse("plans:initiative_edit", args=[self.plan.code, "I1"])
        response = self.post(self.pjmo, url=url, code="I9", target_reduction_pct="-10", project_ids="",
                             reason="開発の本格化で増加を許容")
        self.assertEqual(response.status_code, 302)
        initiative = self.fresh(initiative)
        self.assertEqual((initiative.code, initiative.target_reduction_pct, list(initiative.projects.all())),
                         ("I1", Decimal("-10.0"), []))
        change = changes_of(initiative).get(action="update")
        self.assertEqual(change.reason, "開発の本格化で増加を許容")
        self.assertEqual(self.post(self.pjmo_other, url=url).status_code, 404)
        self.assertEqual(self.post(self.viewer, url=url, reason="x").status_code, 403)


class PlanChartTest(OversightTestCase):
    """The plan-against-actual chart page of an initiative whose operating cost rose."""

    def setUp(self):
        self.plan = MidTermPlan.objects.create(organization=self.mhlw, code="MHLW-2026", title="中長期計画",
                                               start_year=2026, end_year=2030)
        self.initiative = Initiative.objects.create(plan=self.plan, code="I1", title="運用等経費の2割削減",
                                                    metric="operating_cost", base_year=2024, target_year=2026,
                                                    target_reduction_pct=Decimal("20"))
        self.other = factories.system(organization=self.mhlw, name_ja="年金記録管理システム")
        self.initiative.systems.add(self.system, self.other)
        factories.budget_line(system=self.system, fiscal_year=2024, stage="executed", amount_yen=800_000_000)
        factories.budget_line(system=self.other, fiscal_year=2024, stage="executed", amount_yen=200_000_000)
        factories.budget_line(system=self.system, fiscal_year=2025, stage="executed", amount_yen=1_254_000_000)
        factories.budget_line(system=self.other, fiscal_year=2025, stage="executed", amount_yen=100_000_000)
        factories.budget_line(system=self.system, fiscal_year=2026, stage="initial", amount_yen=900_000_000)
        self.url = reverse("plans:initiative_detail", args=[self.plan.code, "I1"])

    def test_an_increase_reads_as_an_increase_not_as_a_negative_reduction(self):
        self.login(self.pjmo)
        response = self.client.get(self.url)
        # FY2025: 1,354 against a base of 1,000 million yen is 35.4 % more.
        self.assertContains(response, "増加 35.4 %")
        self.assertContains(response, "削減 10.0 %")  # FY2026: 900 against 1,000
        self.assertNotContains(response, "-35.4")
        self.assertNotContains(response, "−35.4")
        self.assertEqual(change_from_base(Decimal("-35.4")), {"direction": "increase", "pct": Decimal("35.4")})

    def test_in_english_an_increase_reads_increase(self):
        self.login(self.pjmo)
        response = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, "Increase 35.4 %")
        self.assertContains(response, "Reduction 10.0 %")
        self.assertEqual(response.context["figure"]["data"][0]["x"], ["FY2024", "FY2025", "FY2026"])

    def test_an_allowed_increase_target_reads_as_an_increase(self):
        self.initiative.target_reduction_pct = Decimal("-15")
        self.initiative.save()
        self.login(self.pjmo)
        response = self.client.get(self.url)
        self.assertContains(response, "15.0%増加")
        self.assertNotContains(response, "-15.0")

    def test_the_chart_has_plan_and_actual_and_each_figure_links_to_its_records(self):
        self.login(self.pjmo)
        response = self.client.get(self.url)
        figure = response.context["figure"]
        actual, plan = figure["data"]
        self.assertEqual(actual["y"], [1000.0, 1354.0, 900.0])
        self.assertEqual(plan["y"], [1000.0, 900.0, 800.0])
        self.assertContains(response, 'id="plan-fig-I1"')
        # The actual of FY2025 links to the records of that year, which list each system's amount …
        self.assertContains(response, f'href="{self.url}#records-2025"')
        self.assertContains(response, 'id="records-2025"')
        rows = {r["system"].system_id: [c["amount"] for c in r["years"]] for r in response.context["by_system"]}
        self.assertEqual(rows, {self.system.system_id: [800_000_000, 1_254_000_000, 900_000_000],
                                self.other.system_id: [200_000_000, 100_000_000, None]})
        # … and each amount links to the system's budget.
        self.assertContains(response, f'href="{self.system.get_absolute_url()}#budget"')
        # The plan figures are computed from the base year: they link to its records.
        self.assertContains(response, f'href="{self.url}#records-2024"')

    def test_the_plan_page_draws_each_initiative_chart_with_its_table(self):
        self.login(self.pjmo)
        response = self.client.get(self.plan.get_absolute_url())
        self.assertContains(response, 'data-chart="plan-I1"')
        self.assertContains(response, 'data-table="plan-I1"')
        source = response.content.decode()
        start = source.index('id="plan-fig-I1"')
        data = json.loads(source[source.index(">", start) + 1:source.index("</script>", start)])
        self.assertEqual([t["type"] for t in data["data"]], ["bar", "scatter"])

    def test_the_chart_page_is_for_the_ministry_and_the_digital_agency_only(self):
        self.login(self.pjmo_other)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.login(self.analyst)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.login(self.pjmo)
        self.assertEqual(self.client.get(reverse("plans:initiative_detail", args=[self.plan.code, "I9"])).status_code,
                         404)


class PlanServicesTest(OversightTestCase):
    """The services refuse what the pages refuse, whoever calls them (API, command line, tests)."""

    def setUp(self):
        self.plan = services.plan_create(actor=self.actor(self.pjmo), organization=self.mhlw, code="MHLW-2026",
                                         title="中長期計画", start_year=2026, end_year=2030, reason="策定")

    def test_another_ministry_and_a_viewer_are_refused_and_nothing_is_written(self):
        for user in (self.pjmo_other, self.viewer):
            with self.assertRaises(PermissionRefused):
                services.plan_update(actor=self.actor(user), plan=self.plan, data={"title": "改ざん"}, reason="x")
            with self.assertRaises(PermissionRefused):
                services.initiative_create(actor=self.actor(user), plan=self.plan, code="I1", title="t",
                                           metric="operating_cost", base_year=2025, target_year=2030,
                                           target_reduction_pct=Decimal("10"))
        self.assertEqual(self.fresh(self.plan).title, "中長期計画")
        self.assertEqual(changes_of(self.plan).count(), 1)

    def test_the_code_cannot_change_and_an_edit_needs_a_reason(self):
        with self.assertRaises(ApplicationError):
            services.plan_update(actor=self.actor(self.analyst), plan=self.plan, data={"code": "X"}, reason="x")
        with self.assertRaises(ValidationError) as refused:
            services.plan_update(actor=self.actor(self.analyst), plan=self.plan, data={"title": "新"}, reason=" ")
        self.assertIn("reason", refused.exception.error_dict)

    def test_another_ministry_project_is_refused_on_the_projects_field(self):
        with self.assertRaises(ValidationError) as refused:
            services.initiative_create(actor=self.actor(self.pjmo), plan=self.plan, code="I1", title="t",
                                       metric="operating_cost", base_year=2025, target_year=2030,
                                       target_reduction_pct=Decimal("10"), projects=[self.moj_project])
        self.assertIn(self.moj_project.project_id, refused.exception.error_dict["projects"][0].messages[0])
