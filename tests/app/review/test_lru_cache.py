"""app/review/lru_cache.py: the frame cache keeps the most recently used few."""

from __future__ import annotations

from app.review.lru_cache import LruCache


def test_lru_cache_forgets_the_least_recently_used() -> None:
    cache: LruCache[int, str] = LruCache(2)
    cache.put(1, "a")
    cache.put(2, "b")
    assert cache.get(1) == "a"
    cache.put(3, "c")
    assert 2 not in cache
    assert 1 in cache
    assert len(cache) == 2


def test_clear_forgets_everything_and_get_refreshes_recency() -> None:
    cache: LruCache[int, str] = LruCache(2)
    cache.put(1, "a")
    cache.put(2, "b")
    cache.put(1, "a2")  # a put refreshes too
    cache.put(3, "c")
    assert cache.get(2) is None
    assert cache.get(1) == "a2"
    cache.clear()
    assert len(cache) == 0
    assert 1 not in cache
