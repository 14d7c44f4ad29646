"""No query string gives a server error: oversized or malformed parameters are answered with a 400.

The fuzz test visits every page of the URLconf (the plan of `mieruka.testing.urlwalk`) as a signed-in
analyst with each GET parameter the page's forms offer, plus the common ones, set to hostile values:
oversized, non-numeric, negative, huge, unicode digits, NUL, many repeats — first a fixed sweep (one
hostile value per parameter, rotating, then all parameters at once and repeated), then values Hypothesis
draws (`max_examples` 60, derandomized so a run is repeatable).
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase  # each drawn example in its own transaction

from mieruka.core.middleware import QueryStringLimitMiddleware
from mieruka.core.search import MAX_SEARCH_TERMS
from mieruka.demo.generator import demo_portfolio_generate, demo_users_ensure
from mieruka.testing.factories import system
from mieruka.testing.urlwalk import has_visit_plan, path_params, queries_for, routes

from .test_scope_walk import PUBLIC_BY_DESIGN, left_out

COMMON_NAMES = ["q", "page", "fiscal_year", "format", "sort", "organization", "limit", "offset", "chart"]
HOSTILE = ["9" * 40, "-99999999999999999999", "-1", "0", "abc", "１２三", "²", "1e308", "NaN", "2025-13-45",
           "' OR 1=1 --", "<script>", "\u202e\U0001f600", "%00", "\x00", " ", "ＳＹＳ　ｴｲ"]
SKIP = set(PUBLIC_BY_DESIGN) | {"logout", "set_language"}  # static files; sign-out and language switch


def _get_form_names(html: str) -> set[str]:
    """The names of the fields in the page's GET forms (filters, search, fiscal year)."""
    names = set()
    for form in re.findall(r"<form\b(?![^>]*method=\"post\")[^>]*>(.*?)</form>", html, flags=re.S | re.I):
        names |= set(re.findall(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", form))
    return names - {"csrfmiddlewaretoken"}


@override_settings(INSIGHTS_DASHBOARD_CACHE_SECONDS=0,
                   PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class QueryStringTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo_portfolio_generate(systems=20, seed=5)
        demo_users_ensure()
        cls.analyst = get_user_model().objects.get(username="analyst")
        system(organization=cls.analyst.mieruka_role.organization, name_ja="文書管理システム")

    def signed_in(self) -> Client:
        client = Client(raise_request_exception=False)
        client.force_login(self.analyst)
        return client

    def visits(self) -> list[tuple[str, str, list[str]]]:
        """(route name, URL, parameter names) of every page, as the analyst visits it."""
        client, out = self.signed_in(), []
        for route in routes():
            if left_out(route) or route.name in SKIP or not has_visit_plan(route):
                continue
            for params in path_params(route, visible_ids=None):
                url = route.url(**params)
                names = set(COMMON_NAMES)
                for query in queries_for(route, other_organization="MOJ", fiscal_year=2025):
                    names |= set(query)
                response = client.get(url)
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    names |= _get_form_names(response.content.decode())
                out.append((route.name, url, sorted(names)))
        return out

    def assert_no_server_error(self, client, url, query):
        response = client.get(url, query)
        assert response.status_code < 500, (url, {k: str(v)[:60] for k, v in dict(query).items()},
                                            response.status_code)
        assert response.status_code != 302 or not response["Location"].startswith("/login/")  # still signed in
        return response

    def test_the_reported_cases_are_refused_with_a_400_in_the_readers_language(self):
        self.client = self.signed_in()
        cases = [
            ("/changes/", {"type": "9" * 5000}),  # oversized
            ("/changes/", {"type": "9" * 40}),  # a number no database column holds
            ("/changes/", {"type": "²"}),  # a digit int() does not read
            ("/plans/decisions/", {"fiscal_year": "9" * 40}),
            ("/plans/decisions/", {"fiscal_year": "-5"}),
            ("/plans/decisions/", {"fiscal_year": "令和7"}),
            ("/systems/", {"q": " ".join(f"語{i}" for i in range(3000))}),
            ("/systems/", {"q": " ".join(f"t{i}" for i in range(MAX_SEARCH_TERMS + 1))}),
            ("/reviews/findings/", {"q": " ".join(f"t{i}" for i in range(MAX_SEARCH_TERMS + 1))}),
            ("/systems/", {"status": ["operation"] * (QueryStringLimitMiddleware.MAX_PARAMETERS + 1)}),
            ("/insights/architecture/", {"system": "\x00"}),  # PostgreSQL cannot compare a NUL
            ("/systems/", {"q": "a\x00b"}),
        ]
        for url, query in cases:
            with self.subTest(url=url, query=str(query)[:60]):
                response = self.client.get(url, query)
                body = response.content.decode()
                assert response.status_code == 400, response.status_code
                assert "リクエストを処理できません" in body and "cannot be answered" not in body
        body = self.client.get("/plans/decisions/", {"fiscal_year": "-5"}).content.decode()
        assert "fiscal_year は 1989〜2100 の整数" in body and "fiscal_year must be a whole number" not in body
        body = self.client.get("/systems/", {"q": " ".join(["a"] * 21)}).content.decode()
        assert "検索語は20語まで" in body and "at most 20 terms" not in body
        body = self.client.get("/systems/", {"q": "a\x00b"}).content.decode()
        assert "検索条件 q に使えない文字（NUL）が含まれています" in body
        # In English, the same refusals read in English only.
        english = {"accept-language": "en"}
        body = self.client.get("/plans/decisions/", {"fiscal_year": "-5"}, headers=english).content.decode()
        assert "The request cannot be answered" in body and "fiscal_year must be a whole number" in body
        assert '<html lang="en">' in body and "リクエスト" not in body
        body = self.client.get("/systems/", {"q": " ".join(["a"] * 21)}, headers=english).content.decode()
        assert "at most 20 terms" in body and "検索語" not in body
        # Twenty terms still search.
        assert self.client.get("/systems/", {"q": " ".join(["システム"] * 20)}).status_code == 200

    def test_the_api_answers_the_same_in_its_error_shape(self):
        self.client = self.signed_in()
        for url, query in [("/api/v1/systems/", {"q": "x" * 5000}),
                           ("/api/v1/systems/", {"q": " ".join(["a"] * 21)}),
                           ("/api/v1/changes/", {"type": "9" * 40})]:
            with self.subTest(url=url, query=str(query)[:40]):
                response = self.client.get(url, query)
                assert response.status_code == 400
                error = response.json()["error"]
                assert error["code"] == "validation_error" and error["message_ja"] and error["message_en"]

    def test_hostile_values_in_every_get_parameter_of_every_page_give_no_server_error(self):
        visits, client = self.visits(), self.signed_in()
        assert len(visits) > 80
        requests = 0
        for n, (_name, url, names) in enumerate(visits):
            for i, parameter in enumerate(names):
                # One hostile value per parameter, rotating through the list so each page meets many.
                self.assert_no_server_error(client, url, {parameter: HOSTILE[(n + i) % len(HOSTILE)]})
                requests += 1
            self.assert_no_server_error(client, url, {p: HOSTILE[0] for p in names})
            self.assert_no_server_error(client, url, {names[0]: ["1"] * 60, names[-1]: ["-1"] * 30})
        assert requests > 500

    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def test_values_hypothesis_draws_give_no_server_error(self, data):
        if not hasattr(self, "_visits"):
            type(self)._visits = self.visits()
        _name, url, names = data.draw(st.sampled_from(self._visits))
        value = st.one_of(
            st.text(max_size=50),
            st.integers().map(str),
            st.floats(allow_nan=True, allow_infinity=True).map(str),
            st.text(alphabet="0123456789-+.,eE１２３４５６７８９０²³", max_size=30),
            st.text(min_size=900, max_size=1200),
        )
        query = data.draw(st.dictionaries(st.sampled_from(names), st.lists(value, min_size=1, max_size=3),
                                          max_size=4))
        self.assert_no_server_error(self.signed_in(), url, query)
