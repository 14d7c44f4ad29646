"""Each role opens every top-level page in a real browser: the heading and content that person should see,
axe on every page, and no JavaScript error anywhere (both enforced by the `browser_page` fixture)."""

import pytest
from django.contrib.auth import get_user_model

from mieruka.core.models import UserRole
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login_with_form, screenshot, visit

pytestmark = pytest.mark.browser

PASSWORD = "role-tour-pass-9"
REFUSED = "この操作を行う権限がありません"

# Pages every signed-in person reaches from the menu, the header and the footer, with their headings.
COMMON = [
    ("/", "ポートフォリオ概況"),
    ("/insights/", "ポートフォリオ・ダッシュボード"),
    ("/insights/staffing/", "運用等経費とPJMO体制"),
    ("/organizations/", "組織"),
    ("/systems/", "情報システム"),
    ("/projects/", "プロジェクト"),
    ("/reviews/", "レビュー"),
    ("/reviews/findings/", "指摘事項の検索"),
    ("/monitoring/", "重点プロジェクトのモニタリング"),
    ("/plans/", "中長期計画"),
    ("/plans/decisions/", "停止・継続の判断"),
    ("/reporting/", "報告依頼"),
    ("/changes/", "変更履歴"),
    ("/notifications/", "通知"),
    ("/interchange/open-data/", "オープンデータ"),
]
PORTFOLIO_WIDE = [
    ("/insights/similar/", "重複・類似システム"),
    ("/insights/architecture/", "アーキテクチャー：情報システム・連携・共通基盤"),
]
ADMINISTRATION = [
    ("/interchange/import/", "ポートフォリオデータの取り込み"),
    ("/reporting/campaigns/new/", "新しい報告依頼"),
    ("/reporting/surveys/new/", "新しい調査"),
    ("/systems/new/", "情報システムの登録"),
]

TOURS = {
    "admin": COMMON + PORTFOLIO_WIDE + ADMINISTRATION,
    "analyst": COMMON + PORTFOLIO_WIDE + [(path, REFUSED) for path, _ in ADMINISTRATION],
    "reviewer": COMMON + PORTFOLIO_WIDE + [("/interchange/import/", REFUSED)],
    "pjmo": COMMON + [(path, REFUSED) for path, _ in PORTFOLIO_WIDE]
    + [("/systems/new/", "情報システムの登録"), ("/interchange/import/", REFUSED)],
    "viewer": COMMON + [(path, REFUSED) for path, _ in PORTFOLIO_WIDE] + [("/systems/new/", REFUSED)],
}


@pytest.fixture
def people(db):
    da = factories.organization(code="DA", name_ja="デジタル庁", kind="digital_agency", order=1)
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    moj = factories.organization(code="MOJ", name_ja="法務省", order=12)
    factories.system(organization=mhlw, system_id="MHLW-001", name_ja="年金記録管理システム")
    factories.system(organization=moj, system_id="MOJ-001", name_ja="登記情報システム")
    User = get_user_model()
    User.objects.create_superuser("admin", "admin@example.go.jp", PASSWORD)
    for name, role, org in (("analyst", "analyst", da), ("reviewer", "reviewer", da), ("pjmo", "editor", mhlw),
                            ("viewer", "viewer", mhlw)):
        user = User.objects.create_user(name, f"{name}@example.go.jp", PASSWORD)
        UserRole.objects.create(user=user, role=role, organization=org)


@pytest.mark.parametrize("role", list(TOURS))
def test_each_role_opens_every_top_level_page(browser_page, live_server, people, role):
    page = browser_page
    login_with_form(page, live_server.url, role, PASSWORD)
    assert page.locator(".whoami").inner_text() == role
    for path, heading in TOURS[role]:
        visit(page, f"{live_server.url}{path}")
        assert heading in page.locator("h1").inner_text(), (role, path)
    screenshot(page, f"role-tour-{role}")


@pytest.mark.parametrize("role,sees,hidden", [
    ("analyst", ["MHLW-001", "MOJ-001"], []),
    ("pjmo", ["MHLW-001"], ["MOJ-001"]),
    ("viewer", ["MHLW-001"], ["MOJ-001"]),
])
def test_the_systems_list_shows_each_role_its_own_scope(browser_page, live_server, people, role, sees, hidden):
    page = browser_page
    login_with_form(page, live_server.url, role, PASSWORD)
    visit(page, f"{live_server.url}/systems/")
    table = page.locator("table tbody").inner_text()
    assert all(s in table for s in sees) and not any(s in table for s in hidden), table


def test_the_menu_offers_import_and_administration_only_to_the_administrator(browser_page, live_server, people):
    page = browser_page
    for role, expected in (("viewer", False), ("admin", True)):
        login_with_form(page, live_server.url, role, PASSWORD)
        nav = page.get_by_role("navigation", name="メインナビゲーション")
        nav.get_by_text("その他").click()  # both sit under "More"
        assert (nav.get_by_role("link", name="取込").count() == 1) is expected
        assert (nav.get_by_role("link", name="管理画面").count() == 1) is expected
        page.get_by_role("button", name="ログアウト").click()
        page.wait_for_load_state("load")
        assert page.locator("input[name=password]").count() == 1  # back on the login page
        axe_check(page)
