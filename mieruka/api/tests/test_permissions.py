"""Who may do what over the API: every role × own/other organization × read/create/update/delete."""

import itertools

from mieruka.contracts.tests.helpers import contract
from mieruka.core.models import ObjectChange
from mieruka.testing import factories

from .base import ApiTestCase

_n = itertools.count(1)


def _system_payload(org):
    return {
        "system_id": f"API{next(_n):05d}",
        "name_ja": "API登録システム",
        "organization": org.code,
        "classification": "ministry",
        "status": "operation",
    }


# Each resource: how to make one owned by an organization, the list URL, its detail URL, a valid new record
# for an organization, and a valid change. `org` below is the ministry that owns the record.
RESOURCES = {
    "systems": {
        "make": lambda t, org: factories.system(organization=org),
        "detail": lambda obj: f"/api/v1/systems/{obj.system_id}/",
        "create": lambda t, org: _system_payload(org),
        "change": {"name_ja": "名称変更後"},
    },
    "projects": {
        "make": lambda t, org: factories.project(organization=org),
        "detail": lambda obj: f"/api/v1/projects/{obj.project_id}/",
        "create": lambda t, org: {
            "project_id": f"APIP{next(_n):05d}",
            "name_ja": "API登録プロジェクト",
            "organization": org.code,
            "phase": "planning",
        },
        "change": {"kpi_actual": "85%"},
    },
    "budget-lines": {
        "make": lambda t, org: factories.budget_line(
            system=t.systems[org.code], fiscal_year=2000 + next(_n) % 90
        ),
        "detail": lambda obj: f"/api/v1/budget-lines/{obj.pk}/",
        "create": lambda t, org: {
            "system": t.systems[org.code].system_id,
            "fiscal_year": 1990 + next(_n) % 100,
            "category": "development",
            "stage": "request",
            "amount_yen": 12_345_678,
        },
        "change": {"amount_yen": 99},
    },
    "interfaces": {
        "make": lambda t, org: factories.interface(
            from_system=t.systems[org.code], to_system=factories.system()
        ),
        "detail": lambda obj: f"/api/v1/interfaces/{obj.pk}/",
        "create": lambda t, org: {
            "from_system": t.systems[org.code].system_id,
            "to_system": factories.system().system_id,
            "kind": "api",
        },
        "change": None,  # links are added and removed, never edited
    },
    "contracts": {
        "make": lambda t, org: contract(systems=[t.systems[org.code]]),
        "detail": lambda obj: f"/api/v1/contracts/{obj.contract_number}/",
        "create": lambda t, org: {
            "contract_number": f"APIC{next(_n):05d}", "title": "運用保守", "systems": [t.systems[org.code].system_id],
            "vendor_name": "株式会社テスト", "method": "general_lowest", "bidders_count": 2, "amount_yen": 1000,
            "fiscal_year": 2025, "category": "operation",
        },
        "change": {"title": "運用保守（変更）"},
    },
    "organizations": {
        "make": lambda t, org: factories.organization(parent=org, kind="division", order=None),
        "detail": lambda obj: f"/api/v1/organizations/{obj.code}/",
        "create": lambda t, org: {
            "code": f"DIV{next(_n):05d}",
            "name_ja": "新設課",
            "kind": "division",
            "parent": org.code,
        },
        "change": {"name_en": "Renamed Division"},
    },
}


class PermissionMatrixTest(ApiTestCase):
    USERS = ["admin", "analyst", "reviewer", "pjmo", "pjmo_other", "viewer", None]
    READS_ALL = {"admin", "analyst", "reviewer"}
    HOME = {"pjmo": "MHLW", "pjmo_other": "MOJ", "viewer": "MHLW"}
    WRITERS = {"admin", "pjmo", "pjmo_other"}

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.systems = {org.code: factories.system(organization=org) for org in (cls.mhlw, cls.moj)}

    # Records only administrators delete (a ministry retires a system instead).
    ADMIN_DELETES = {"systems"}

    def expected(self, who, org_code, operation, resource=None) -> int:
        if who is None:
            return 401
        visible = who in self.READS_ALL or self.HOME.get(who) == org_code
        editable = who == "admin" or (who in self.WRITERS and self.HOME.get(who) == org_code)
        if operation == "read":
            return 200 if visible else 404
        if who not in self.WRITERS:
            return 403  # refused before looking anything up
        if operation == "create":
            return 201 if editable else 403
        if not visible:
            return 404  # out of scope records do not exist for this user
        if operation == "delete" and resource in self.ADMIN_DELETES and who != "admin":
            return 403
        return {"update": 200, "delete": 204}[operation] if editable else 403

    def test_every_role_reads_and_writes_exactly_where_it_may(self):
        for (name, spec), who, org in itertools.product(RESOURCES.items(), self.USERS, (self.mhlw, self.moj)):
            client = self.api(getattr(self, who) if who else None)
            with self.subTest(resource=name, user=who, organization=org.code):
                obj = spec["make"](self, org)
                url = spec["detail"](obj)

                response = client.get(url)
                assert response.status_code == self.expected(who, org.code, "read"), response.content

                listed = client.get(f"/api/v1/{name}/?limit=1000")
                if who is None:
                    assert listed.status_code == 401
                else:
                    ids = {row["id"] for row in listed.json()["results"]}
                    assert (obj.pk in ids) == (self.expected(who, org.code, "read") == 200)

                changes_before = ObjectChange.objects.count()
                response = client.post(f"/api/v1/{name}/", spec["create"](self, org), format="json")
                assert response.status_code == self.expected(who, org.code, "create"), response.content
                created = response.status_code == 201
                assert ObjectChange.objects.count() == changes_before + (1 if created else 0)
                if created:
                    assert ObjectChange.objects.first().source == "api"

                if spec["change"] is not None:
                    response = client.patch(url, spec["change"], format="json", **self.if_match(obj))
                    assert response.status_code == self.expected(who, org.code, "update"), response.content

                response = client.delete(url, **self.if_match(obj))
                assert response.status_code == self.expected(who, org.code, "delete", name), response.content
                assert type(obj).objects.filter(pk=obj.pk).exists() == (response.status_code != 204)

    def test_an_editor_cannot_move_a_record_to_another_ministry(self):
        system = factories.system(organization=self.mhlw)
        response = self.api(self.pjmo).patch(
            f"/api/v1/systems/{system.system_id}/",
            {"organization": "MOJ"},
            format="json",
            **self.if_match(system),
        )
        self.assert_error(response, 403, "permission_denied")
        system.refresh_from_db()
        assert system.organization == self.mhlw

    def test_an_editor_may_not_change_their_own_ministry_record_itself(self):
        response = self.api(self.pjmo).patch(
            "/api/v1/organizations/MHLW/", {"name_en": "x"}, format="json", **self.if_match(self.mhlw)
        )
        self.assert_error(response, 403, "permission_denied")

    def test_shared_platforms_are_read_by_everyone_and_written_by_no_one_over_the_api(self):
        platform = factories.platform(code="GIMA")
        assert self.api(self.viewer).get("/api/v1/platforms/GIMA/").json()["code"] == platform.code
        response = self.api(self.admin).post("/api/v1/platforms/", {"code": "X"}, format="json")
        self.assert_error(response, 405, "method_not_allowed")

    def test_a_project_cannot_cover_a_system_its_editor_cannot_see(self):
        foreign = factories.system(organization=self.moj)
        response = self.api(self.pjmo).post(
            "/api/v1/projects/",
            {
                "project_id": "P-X",
                "name_ja": "越境",
                "organization": "MHLW",
                "phase": "planning",
                "systems": [foreign.system_id],
            },
            format="json",
        )
        error = self.assert_error(response, 400, "validation_error")
        assert "systems" in error["fields"]
