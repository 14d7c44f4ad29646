"""The site-wide search's reading index: how long reading every system name takes (cold), how long a
search takes once the index is cached (warm), against a plain name search in the database (raw).

    MIERUKA_DEV=1 .venv/bin/python benchmarks/search_readings.py   # on a demo database (`make demo`)
"""

from __future__ import annotations

import os
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieruka.conf.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from mieruka.core.readings import reading_of
    from mieruka.core.search import site_search
    from mieruka.inventory.models import InformationSystem

    user = get_user_model().objects.filter(is_superuser=True).first()
    names = list(InformationSystem.objects.values_list("name_ja", flat=True))
    reading_of.cache_clear()
    started = time.perf_counter()
    for name in names:
        reading_of(name)
    cold = time.perf_counter() - started

    cache.delete("search:readings:v2:systems:names")
    site_search(user=user, query="こくぜい")  # builds and caches the index
    runs = 20
    started = time.perf_counter()
    for _ in range(runs):
        site_search(user=user, query="kokuzei")
    warm = (time.perf_counter() - started) / runs
    started = time.perf_counter()
    for _ in range(runs):
        list(InformationSystem.objects.filter(name_ja__icontains="国税").values_list("pk", flat=True))
    raw = (time.perf_counter() - started) / runs
    print(f"systems: {len(names)}")
    print(f"reading every name (cold): {cold:.2f} s ({cold / max(len(names), 1) * 1000:.2f} ms a name)")
    print(f"search by reading, index cached (warm): {warm * 1000:.1f} ms")
    print(f"raw name search in the database: {raw * 1000:.1f} ms")
    print(f"ratio warm / raw: {warm / raw:.1f}")


if __name__ == "__main__":
    main()
