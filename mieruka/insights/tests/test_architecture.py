from unittest import mock

from django.urls import reverse

from mieruka.testing.base import PortfolioTestCase

from . import portfolio


class ArchitectureTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)

    def get(self, **params):
        self.login()
        return self.client.get(reverse("insights:architecture"), params)

    def graph_systems(self, response):
        return {r["system_id"] for r in response.context["graph"]["systems"]}

    def test_it_draws_systems_interfaces_and_platforms(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-chart="architecture_graph"')
        self.assertEqual(
            self.graph_systems(response), {"MHLW-001", "MHLW-002", "MOJ-001", "MOJ-002", "DA-001"}
        )
        self.assertContains(response, "MOJ-001 補助金電子申請システム</th>")  # edge table lists the caller

    def test_the_organization_and_platform_filters_narrow_the_graph(self):
        self.assertEqual(self.graph_systems(self.get(organization="MOJ")), {"MOJ-001", "MOJ-002"})
        self.assertEqual(self.graph_systems(self.get(platform="GIMA")), {"DA-001", "MOJ-002"})

    def test_impact_of_a_system_includes_transitive_dependents_and_their_organizations(self):
        response = self.get(impact="MHLW-001")
        impact = response.context["impact"]
        self.assertEqual(
            [(s["system_id"], s["depth"]) for s in impact["systems"]], [("MOJ-001", 1), ("DA-001", 2)]
        )
        self.assertEqual(
            [(o["name"], o["direct"], o["indirect"]) for o in impact["organizations"]],
            [("デジタル庁", 0, 1), ("法務省", 1, 0)],
        )
        self.assertContains(response, 'data-impact-count="2"')

    def test_impact_of_a_platform_lists_its_users_and_their_dependents(self):
        impact = self.get(impact="platform:GBIZID").context["impact"]
        self.assertEqual(
            [(s["system_id"], s["depth"]) for s in impact["systems"]],
            [("MHLW-001", 1), ("MOJ-001", 1), ("DA-001", 2)],
        )

    def test_an_unknown_impact_target_is_reported(self):
        response = self.get(impact="NOPE-999")
        self.assertContains(response, "NOPE-999")
        self.assertIsNone(response.context["impact"])

    def test_the_matrix_counts_platform_users_per_ministry(self):
        self.login()
        response = self.client.get(
            reverse("insights:architecture"), {"format": "csv", "chart": "platform_matrix"}
        )
        lines = response.content.decode("utf-8").lstrip("\ufeff").splitlines()
        self.assertEqual(lines[0].split(",")[2:], ["GBIZID", "GIMA"])
        self.assertEqual(lines[1:], ["デジタル庁,1,0,1", "法務省,2,1,1", "厚生労働省,2,1,0"])

    def test_a_very_large_selection_asks_for_a_narrower_filter(self):
        with mock.patch("mieruka.insights.conf.GRAPH_MAX_SYSTEMS", 2):
            response = self.get()
        self.assertEqual(response.context["graph"]["too_many"], 5)
        self.assertNotContains(response, 'data-chart="architecture_graph"')


class NeighbourhoodTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)

    def get(self, **params):
        self.login()
        return self.client.get(reverse("insights:architecture"), params)

    def test_the_page_opens_on_one_systems_neighbourhood_with_labelled_interfaces(self):
        response = self.get(system="MHLW-001", hops=1)
        data = response.context["neighbourhood"]
        self.assertEqual({r["system_id"]: r["depth"] for r in data["systems"].values()}, {"MHLW-001": 0, "MOJ-001": 1})
        chart = response.context["graph_chart"]
        self.assertEqual([(r["from"].split()[0], r["kind"], r["to"].split()[0]) for r in chart.rows],
                         [("MOJ-001", "API", "MHLW-001"), ("MHLW-001", "共通基盤を利用", "gBizID")])
        labels = [t for t in chart.figure["data"] if t.get("mode") == "text"][0]["text"]
        self.assertEqual(labels, ["API"])  # each interface is labelled with its kind on the graph

    def test_more_hops_reach_further(self):
        data = self.get(system="MHLW-001", hops=2).context["neighbourhood"]
        self.assertEqual({r["system_id"]: r["depth"] for r in data["systems"].values()},
                         {"MHLW-001": 0, "MOJ-001": 1, "DA-001": 2})
        self.assertEqual(self.get(system="MHLW-001", hops=99).context["hops"], 3)  # at most three

    def test_an_unknown_system_is_reported(self):
        response = self.get(system="NOPE-1")
        self.assertIsNone(response.context["neighbourhood"])
        self.assertContains(response, "NOPE-1", status_code=200)

    def test_the_search_boxes_suggest_systems_and_platforms_show_by_name(self):
        response = self.get()
        self.assertContains(response, '<datalist id="system-ids">')
        self.assertContains(response, '<option value="MOJ-001">')
        self.assertContains(response, 'list="system-ids"', count=2)  # neighbourhood and impact analysis
        self.assertContains(response, '<option value="platform:GBIZID">gBizID</option>')

    def test_the_neighbourhood_page_makes_a_fixed_number_of_queries(self):
        self.get(system="MHLW-001")
        url = reverse("insights:architecture")
        with self.assertNumQueries(14):
            self.client.get(url, {"system": "MHLW-001", "hops": 3})
