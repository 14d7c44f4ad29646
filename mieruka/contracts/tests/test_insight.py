"""The procurement insight page: every figure links to a contracts list with exactly that many rows."""

from decimal import Decimal

from django.urls import reverse

from mieruka.contracts.insight import Row, award_rate_distribution, lock_ins, single_bid_shares, top_vendors
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import VENDOR_A, VENDOR_B, contract


def row(**kwargs):
    values = {"pk": 1, "ministry": "M", "fiscal_year": 2025, "method": "general_lowest", "single_bid": False,
              "vendor": VENDOR_A, "vendor_name": "A", "amount_yen": 100, "award_rate": Decimal("95"),
              "category": "operation", "system_ids": ("S1",)}
    values.update(kwargs)
    return Row(**values)


class FiguresTest(PortfolioTestCase):
    def test_single_bid_shares_count_only_competitive_methods(self):
        shares = single_bid_shares([row(single_bid=True), row(), row(method="negotiated")])
        assert shares["cells"][("M", 2025)] == (1, 2) and shares["cells"][("", 2025)] == (1, 2)

    def test_lock_in_needs_both_building_and_running_over_enough_years(self):
        rows = [row(category="development", fiscal_year=2021), row(fiscal_year=2022), row(fiscal_year=2023)]
        assert [p["years"] for p in lock_ins(rows, min_years=3)] == [[2021, 2022, 2023]]
        assert lock_ins(rows, min_years=4) == []
        assert lock_ins([row(fiscal_year=y) for y in (2021, 2022, 2023)], min_years=3) == []  # never built

    def test_withheld_rates_are_left_out_of_the_distribution_not_counted_as_zero(self):
        bands, without = award_rate_distribution([row(award_rate=None), row(award_rate=Decimal("99.5"))])
        assert without == 1 and bands[0]["count"] == 0 and bands[4]["count"] == 1

    def test_a_vendor_share_is_of_the_ministry_total_including_vendors_without_a_number(self):
        vendors, totals = top_vendors([row(amount_yen=300), row(vendor="", amount_yen=100)])
        assert vendors[0]["amount"] == 300 and totals["M"] == 400


class InsightPageTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        s1 = factories.system(system_id="S-1", organization=cls.mhlw_bureau)
        s2 = factories.system(system_id="S-2", organization=cls.moj)
        for year in (2022, 2023, 2024):
            contract(systems=[s1], fiscal_year=year, bidders_count=1,
                     category="development" if year == 2022 else "operation")
        contract(systems=[s1], fiscal_year=2024, bidders_count=3, vendor_corporate_number=VENDOR_B,
                 estimated_price_yen=1000, amount_yen=750)
        contract(systems=[s2], fiscal_year=2024, method="negotiated", bidders_count=1)
        contract(systems=[s2], fiscal_year=2024, bidders_count=None, bidders_count_withheld=True,
                 estimated_price_yen=None, estimated_price_withheld=True)

    def list_count(self, url):
        return self.client.get(url).context["totals"]["count"]

    def test_every_figure_links_to_a_list_whose_count_matches(self):
        self.login(self.analyst)
        context = self.client.get(reverse("contracts:insight")).context
        checked = 0
        for r in context["share_rows"]:
            for c in r["cells"]:
                assert self.list_count(c["single_url"]) == c["single"]
                assert self.list_count(c["competitive_url"]) == c["competitive"]
                checked += 2
        mhlw_2024 = next(r for r in context["share_rows"] if r["ministry"] == "MHLW")["cells"][2]
        assert (mhlw_2024["single"], mhlw_2024["competitive"], mhlw_2024["share"]) == (1, 2, Decimal("50.0"))
        for v in context["vendor_rows"]:
            assert self.list_count(v["url"]) == v["count"]
            for s in v["shares"]:
                if s:
                    assert self.list_count(s["url"]) == s["count"]
                    checked += 1
        assert [(p["system_id"], p["years"]) for p in context["locks"]] == [("S-1", [2022, 2023, 2024])]
        for p in context["locks"]:
            assert self.list_count(p["url"]) == p["count"]
        for b in context["bands"]:
            assert self.list_count(b["url"]) == b["count"]
        assert context["without_rate"] == 1
        assert checked > 10

    def test_a_ministry_editor_sees_figures_of_their_own_contracts_only(self):
        self.login(self.pjmo_other)
        context = self.client.get(reverse("contracts:insight")).context
        assert context["total"] == 2
        assert [r["ministry"] for r in context["share_rows"]] == ["MOJ", ""]

    def test_the_lock_in_threshold_and_fiscal_year_can_be_chosen(self):
        self.login(self.analyst)
        assert self.client.get(reverse("contracts:insight"), {"min_years": 4}).context["locks"] == []
        context = self.client.get(reverse("contracts:insight"), {"fiscal_year": 2024}).context
        assert context["total"] == 4 and context["years"] == [2024]

    def test_the_page_runs_a_fixed_number_of_queries(self):
        self.login(self.analyst)
        self.client.get(reverse("contracts:insight"))
        with self.assertNumQueries(8):
            self.client.get(reverse("contracts:insight"))
        for n in range(5):
            contract(systems=[factories.system(organization=self.mhlw)], contract_number=f"X-{n}")
        with self.assertNumQueries(8):
            self.client.get(reverse("contracts:insight"))

    def list_totals(self, url):
        totals = self.client.get(url).context["totals"]
        return totals["count"], totals["amount"] or 0

    def test_every_bar_bin_and_cell_of_the_charts_opens_a_list_with_its_figure(self):
        self.login(self.analyst)
        response = self.client.get(reverse("contracts:insight"))
        figures = response.context["figures"]
        assert all(figures.values()), [name for name, f in figures.items() if not f]
        checked = 0
        for name, figure in figures.items():
            trace = figure["data"][0]
            urls, counts = trace["customdata"], trace["meta"]["count"]
            amounts = trace["meta"].get("amount")
            if trace["type"] == "heatmap":  # a grid of cells: flatten, skipping the empty ones
                cells = [(u, c, a) for ur, cr, ar in zip(urls, counts, amounts, strict=True)
                         for u, c, a in zip(ur, cr, ar, strict=True) if u]
            else:
                cells = list(zip(urls, counts, amounts or [None] * len(urls), strict=True))
            for url, count, amount in cells:
                assert url.startswith(reverse("contracts:list") + "?"), (name, url)
                listed_count, listed_amount = self.list_totals(url)
                if name in ("single-bid-ministries", "single-bid-years", "award-rates", "lock-in", "top-vendors"):
                    assert listed_count == count, (name, url)
                if amount is not None:
                    assert listed_amount == amount, (name, url)
                checked += 1
        # The charts show what the tables show: MHLW's two competitive contracts of 2024, one a single bid.
        ministries = figures["single-bid-ministries"]["data"][0]
        assert dict(zip(ministries["y"], ministries["x"], strict=True))["厚生労働省"] == 75.0  # 3 of 4 years' bids
        assert [len(p["years"]) for p in response.context["locks"]] == figures["lock-in"]["data"][0]["x"]
        assert sum(figures["award-rates"]["data"][0]["y"]) == 5  # the withheld rate is left out, not a 0
        assert checked >= 12
        # Drawn by the insights script, with the amounts in 億円/百万円 and the tables still in the page.
        html = response.content.decode()
        assert 'data-figure="fig-vendor-shares"' in html and "insights/insights.js" in html
        assert "百万円" in html and 'class="insight-chart__table"' in html


class CompactYenTest(PortfolioTestCase):
    def test_amounts_read_in_oku_from_one_oku_up_and_in_millions_below(self):
        from mieruka.core.formatting import yen_compact

        assert yen_compact(123_456_789_012) == "1,234.6億円" and yen_compact(45_600_000) == "46百万円"
        assert yen_compact(1_234_500_000, lang="en") == "¥1.23 bn" and yen_compact(None) == ""
        assert yen_compact(-2_500_000_000) == "-25.0億円" and yen_compact(-400_000) == "0百万円"
