"""Limit/offset pagination with the total count, as every list endpoint returns it."""

from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`?limit=50&offset=100`; the answer has `count`, `next`, `previous` and `results`.

    The default page is 50 records and a page is at most 1,000, which keeps one response small enough for
    a browser while a script can still read the whole portfolio (≈1,300 systems) in two calls.
    """

    default_limit = 50
    max_limit = 1000
