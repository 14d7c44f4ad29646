"""The task page in a real browser: it waits for the worker, updates itself, then offers the file; axe-clean."""

import pytest

from mieruka.core.models import UserRole
from mieruka.testing import factories
from mieruka.testing.browser import axe_check, login_with_form, screenshot, visit
from mieruka.testing.worker import DATABASE_BACKEND, run_worker_until_idle

pytestmark = pytest.mark.browser


def test_an_export_waits_for_the_worker_then_the_page_offers_the_file(browser_page, live_server, settings,
                                                                      django_user_model):
    settings.TASKS = DATABASE_BACKEND
    mhlw = factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
    factories.system(organization=mhlw, system_id="S-1", name_ja="電子申請受付システム")
    user = django_user_model.objects.create_user("viewer", password="viewer-pass-9")
    UserRole.objects.create(user=user, role="viewer", organization=mhlw)
    page = browser_page
    login_with_form(page, live_server.url, "viewer", "viewer-pass-9")
    visit(page, f"{live_server.url}/systems/")
    page.get_by_role("button", name="この一覧をCSVでダウンロード").click()
    page.wait_for_url("**/tasks/*/")
    assert "実行待ち" in page.locator("main").inner_text()  # queued: no worker has taken it yet
    screenshot(page, "task-waiting")
    axe_check(page)

    run_worker_until_idle()

    # The page's script notices the end on its next poll and reloads with the result.
    download = page.get_by_role("link", name="systems.csv をダウンロード")
    download.wait_for(timeout=15_000)
    assert "完了" in page.locator("main").inner_text()
    screenshot(page, "task-finished")
    axe_check(page)
    with page.expect_download() as info:
        download.click()
    assert "電子申請受付システム" in open(info.value.path(), encoding="utf-8-sig").read()
