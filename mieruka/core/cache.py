"""The Redis cache backend: Django's own, except that `clear()` removes only this site's keys.

Django's `RedisCache.clear()` empties the whole Redis database (FLUSHDB). A Redis server is often shared —
by several sites, or by test runs in parallel — so clearing is limited to keys under this cache's
KEY_PREFIX.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache


class RedisCache(DjangoRedisCache):
    def clear(self) -> bool:
        client = self._cache.get_client(write=True)
        # make_key("*") is "<prefix>:<version>:*": every key this cache wrote, in every version.
        pattern = self.make_key("*", version=0).replace(":0:", ":*:", 1)
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
        return True
