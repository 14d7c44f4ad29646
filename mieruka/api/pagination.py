"""Limit/offset pagination with the total count, as every list endpoint returns it."""

from rest_framework import exceptions, pagination

from mieruka.core.errors import bilingual


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`?limit=50&offset=100`; the answer has `count`, `next`, `previous` and `results`.

    The default page is 50 records and a page is at most 1,000, which keeps one response small enough for
    a browser while a script can still read the whole portfolio (≈1,300 systems) in two calls. A limit or
    offset that is not a whole number in range is refused (400) rather than silently replaced, so a
    script never mistakes a default-sized page for the page it asked for.
    """

    default_limit = 50
    max_limit = 1000

    def _integer(self, request, name: str, *, minimum: int, maximum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or not minimum <= value <= maximum:
            raise exceptions.ValidationError({name: [bilingual(
                f"{minimum}から{maximum}までの整数を指定してください（{raw[:50]}）",
                f"Give a whole number from {minimum} to {maximum} ({raw[:50]})",
            )]})
        return value

    def get_limit(self, request):
        value = self._integer(request, self.limit_query_param, minimum=1, maximum=self.max_limit)
        return self.default_limit if value is None else value

    def get_offset(self, request):
        value = self._integer(request, self.offset_query_param, minimum=0, maximum=2**62)
        return 0 if value is None else value
