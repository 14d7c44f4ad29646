"""Freshness: when each record was last confirmed and by whom, stale after a configurable period."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from mieruka.inventory.models import InformationSystem
from mieruka.reporting import selectors, services
from mieruka.reporting.models import Confirmation

from .base import ReportingTestCase


class FreshnessTest(ReportingTestCase):
    def confirm(self, record, days_ago, who=None):
        services.record_confirm(actor=self.actor(who or self.pjmo), record=record,
                                now=timezone.now() - datetime.timedelta(days=days_ago))

    def test_it_reports_when_and_by_whom_and_marks_old_confirmations_stale(self):
        self.confirm(self.pension, 10)
        self.confirm(self.health, 400)
        fresh = selectors.freshness_for([self.pension, self.health, self.registry])
        when, who, stale = fresh[self.pension.pk]
        self.assertEqual((who, stale), ("pjmo_mhlw", False))
        self.assertTrue(fresh[self.health.pk].stale)
        # Never confirmed, but registered just now: not stale yet.
        self.assertEqual((fresh[self.registry.pk].when, fresh[self.registry.pk].stale), (None, False))

    @override_settings(MIERUKA_STALE_AFTER_DAYS=5)
    def test_the_period_is_configurable(self):
        self.confirm(self.pension, 10)
        self.assertTrue(selectors.freshness_for([self.pension])[self.pension.pk].stale)

    def test_a_record_never_confirmed_and_registered_long_ago_is_stale(self):
        InformationSystem.objects.filter(pk=self.registry.pk).update(
            created=timezone.now() - datetime.timedelta(days=500))
        self.registry.refresh_from_db()
        self.assertTrue(selectors.freshness_for([self.registry])[self.registry.pk].stale)

    def test_stale_counts_for_the_dashboard(self):
        self.confirm(self.pension, 400)
        self.confirm(self.health, 1)
        InformationSystem.objects.filter(pk=self.registry.pk).update(
            created=timezone.now() - datetime.timedelta(days=500))
        counts = selectors.stale_counts()
        self.assertEqual(counts["systems"], {"total": 3, "stale": 2, "never_confirmed": 1, "fresh": 1})
        self.assertEqual(counts["projects"]["total"], 1)
        self.assertEqual(selectors.stale_counts(user=self.pjmo_other)["systems"]["total"], 1)

    def test_stale_filter_and_annotation_agree_with_freshness_for(self):
        self.confirm(self.pension, 400)
        qs = selectors.stale_filter(InformationSystem.objects.all())
        self.assertEqual(list(qs.values_list("system_id", flat=True)), ["MHLW-001"])
        annotated = selectors.freshness_annotate(InformationSystem.objects.filter(pk=self.pension.pk)).get()
        self.assertTrue(selectors.freshness_of_annotated(annotated).stale)

    def test_the_confirm_action_records_a_manual_confirmation_and_returns_to_the_page(self):
        self.login(self.pjmo)
        url = reverse("reporting:record_confirm", args=["inventory.informationsystem", self.pension.pk])
        response = self.client.post(url, {"next": "/systems/"})
        self.assertRedirects(response, "/systems/", fetch_redirect_response=False)
        c = Confirmation.objects.get(object_id=self.pension.pk)
        self.assertEqual((c.via, c.confirmed_by, c.campaign), ("manual", self.pjmo, None))

    def test_only_editors_of_the_records_organization_may_confirm_it(self):
        self.login(self.pjmo_other)
        url = reverse("reporting:record_confirm", args=["inventory.informationsystem", self.pension.pk])
        self.assertEqual(self.client.post(url).status_code, 403)
        self.login(self.viewer)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertFalse(Confirmation.objects.exists())
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_the_confirm_action_refuses_an_outside_next_url(self):
        self.login(self.pjmo)
        url = reverse("reporting:record_confirm", args=["inventory.project", self.project.pk])
        response = self.client.post(url, {"next": "https://evil.example/"})
        self.assertEqual(response["Location"], "/")

    def test_the_template_tag_shows_who_when_stale_and_the_button(self):
        self.confirm(self.pension, 400)
        request = RequestFactory().get("/systems/")
        request.user = self.pjmo
        template = Template("{% load reporting %}{% freshness system confirm=True %}")
        html = template.render(Context({"system": self.pension, "request": request}))
        self.assertIn("pjmo_mhlw", html)
        self.assertIn("badge--bad", html)
        self.assertIn(reverse("reporting:record_confirm", args=["inventory.informationsystem", self.pension.pk]), html)
        request.user = self.viewer
        html = template.render(Context({"system": self.pension, "request": request}))
        self.assertNotIn("<form", html)

    def test_the_template_tag_uses_a_precomputed_map_without_queries(self):
        fresh = selectors.freshness_for([self.pension, self.health])
        template = Template("{% load reporting %}{% for s in systems %}{% freshness s fresh %}{% endfor %}")
        with self.assertNumQueries(0):
            template.render(Context({"systems": [self.pension, self.health], "fresh": fresh}))

    def test_accepted_returns_confirm_every_record_they_covered(self):
        campaign = self.make_campaign(fields=["system.hosting", "project.phase"])
        ret = campaign.returns.get()
        services.return_confirm_unchanged(actor=self.actor(self.pjmo), ret=ret)
        services.return_submit(actor=self.actor(self.pjmo), ret=ret)
        services.return_accept(actor=self.actor(), ret=ret)
        ct_system = ContentType.objects.get_for_model(InformationSystem)
        self.assertEqual(
            set(Confirmation.objects.filter(campaign=campaign).values_list("content_type", "object_id")),
            {(ct_system.pk, self.pension.pk), (ct_system.pk, self.health.pk),
             (ContentType.objects.get_for_model(self.project).pk, self.project.pk)},
        )
