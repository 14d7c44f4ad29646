"""Pages of long lists that stay fast deep into the list and under expensive sort keys."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class KeysFirstPaginator(Paginator):
    """Finds a page's primary keys first, then loads only those rows (annotations, joins, prefetches).

    Sorting 50,000 full rows by a computed value (the budget subquery) or skipping to page 500 made the
    database build and discard every earlier row with all its columns; sorting bare keys is several
    times cheaper, and the page's own columns are then computed for its 50 rows only. Lists that are not
    querysets are paged as usual.
    """

    def page(self, number) -> Page:
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=keys)}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)
