"""Links to records' pages, reversed once per URL name.

A list page links every row to its record, often several times (the system, its organization, a project's
systems): 150 to 350 calls of `reverse`, a tenth of such a page's time. A URL of one `str` path part is
reversed once with a placeholder and the value put in its place, quoted as `reverse` quotes it.
"""

import functools
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

_PLACEHOLDER = "MIERUKA0PLACEHOLDER0"  # unreserved characters only: quoting leaves it as it is


@functools.lru_cache(maxsize=64)
def _around(name: str, prefix: str, urlconf) -> tuple[str, str]:
    before, found, after = reverse(name, urlconf=urlconf, args=[_PLACEHOLDER]).partition(_PLACEHOLDER)
    if not found:
        raise ValueError(f"{name} does not take its argument as a path part")
    return before, after


def record_url(name: str, value) -> str:
    """`reverse(name, args=[value])` for a URL whose one argument is a `<str:…>` path part."""
    text = str(value)
    if not text or "/" in text:  # what the `str` converter refuses: let `reverse` say so
        return reverse(name, args=[value])
    before, after = _around(name, get_script_prefix(), get_urlconf())
    return before + quote(text, safe=RFC3986_SUBDELIMS + "/~:@") + after
