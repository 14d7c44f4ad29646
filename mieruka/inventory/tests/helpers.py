"""Shared helpers of the inventory tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mieruka.inventory.selectors import current_fiscal_year

THIS_FY = current_fiscal_year()


def query_count(client, url: str) -> int:
    """How many queries one page load runs (the page must load)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx)

