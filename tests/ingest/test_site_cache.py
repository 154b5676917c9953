"""The per-process cache of sites' public settings."""

from server.extensions import db
from server.ingest.site_cache import SiteCache


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_changes_show_once_the_entry_expires(site):
    clock = FakeClock()
    cache = SiteCache(ttl=5, clock=clock)
    assert cache.get(site.key).enabled is True

    site.enabled = False
    site.allowed_origins = ["https://new.example"]
    db.session.commit()
    clock.now += 4.9
    assert cache.get(site.key).enabled is True

    clock.now += 0.2
    fresh = cache.get(site.key)
    assert fresh.enabled is False
    assert fresh.allows_origin("https://new.example")
    assert not fresh.allows_origin("https://shop.example")


def test_unknown_keys_are_cached_too(make_site, database_reads):
    clock = FakeClock()
    cache = SiteCache(ttl=5, clock=clock)
    assert cache.get("pk_notyet00000000000000") is None
    assert cache.get("pk_notyet00000000000000") is None
    assert cache.cached("pk_notyet00000000000000") is None
    assert database_reads == ["pk_notyet00000000000000"]

    site = make_site()
    clock.now += 5.1
    assert cache.get(site.key).key == site.key


def test_a_flood_of_unknown_keys_never_evicts_a_real_site(site, database_reads):
    cache = SiteCache(ttl=60, max_misses=3)
    cache.get(site.key)
    for n in range(50):
        assert cache.get(f"pk_scanner{n:016d}") is None
    assert len(cache.misses) == 3
    assert cache.get(site.key).key == site.key
    assert database_reads.count(site.key) == 1


def test_unknown_keys_are_evicted_least_recently_used_first(app, database_reads):
    cache = SiteCache(ttl=60, max_misses=2)
    first, second, third = (f"pk_unknown{n:016d}" for n in range(3))
    cache.get(first)
    cache.get(second)
    cache.get(first)  # used again: `second` is now the oldest
    cache.get(third)
    assert list(cache.misses) == [first, third]
    cache.get(first)
    assert database_reads == [first, second, third]


def test_a_deleted_site_becomes_an_unknown_key(make_site):
    clock = FakeClock()
    cache = SiteCache(ttl=5, clock=clock)
    gone = make_site()
    cache.get(gone.key)
    db.session.delete(gone)
    db.session.commit()
    clock.now += 5.1
    assert cache.get(gone.key) is None
    assert cache.cached(gone.key) is None
    assert gone.key in cache.misses


def test_forget_reads_the_site_afresh(site):
    cache = SiteCache(ttl=60)
    cache.get(site.key)
    site.collect_email = True
    db.session.commit()
    assert cache.get(site.key).collect_email is False
    cache.forget(site.key)
    assert cache.get(site.key).collect_email is True


def test_phase_rules_are_compiled_once_per_load(site):
    cache = SiteCache(ttl=60)
    first = cache.get(site.key)
    assert cache.get(site.key).phase_rules is first.phase_rules
    assert [phase for _, phase in first.phase_rules] == ["awareness", "conversion"]


def test_config_etag_follows_the_settings(site):
    cache = SiteCache(ttl=0)
    before = cache.get(site.key).config_etag
    site.widget = {"color": "#123456"}
    db.session.commit()
    assert cache.get(site.key).config_etag != before
