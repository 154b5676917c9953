"""When digests are due: 08:00 on the site's wall clock, daily or on Mondays, across time
zones and daylight-saving changes."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.alerts.digest_due import covered, due_day, latest_send_day, send_time
from server.alerts.zones import site_zone

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("schedule", "zone", "now", "day"),
    [
        ("daily", "UTC", utc(2026, 11, 30, 7, 59), date(2026, 11, 29)),
        ("daily", "UTC", utc(2026, 11, 30, 8, 0), date(2026, 11, 30)),
        # Amsterdam is UTC+1 in winter: its 08:00 is 07:00 UTC.
        ("daily", "Europe/Amsterdam", utc(2026, 11, 30, 6, 59), date(2026, 11, 29)),
        ("daily", "Europe/Amsterdam", utc(2026, 11, 30, 7, 0), date(2026, 11, 30)),
        # Tokyo's 08:00 on the 30th is 23:00 UTC on the 29th.
        ("daily", "Asia/Tokyo", utc(2026, 11, 29, 23, 0), date(2026, 11, 30)),
        # New York's Monday 08:00 is 13:00 UTC; before it, last Monday's digest is the latest.
        ("weekly", "America/New_York", utc(2026, 11, 30, 12, 59), date(2026, 11, 23)),
        ("weekly", "America/New_York", utc(2026, 11, 30, 13, 0), date(2026, 11, 30)),
        ("weekly", "UTC", utc(2026, 12, 6, 23, 59), date(2026, 11, 30)),
        # Summer time began at 02:00 on 29 March: that day's 08:00 is 06:00 UTC, not 07:00.
        ("daily", "Europe/Amsterdam", utc(2026, 3, 29, 5, 59), date(2026, 3, 28)),
        ("daily", "Europe/Amsterdam", utc(2026, 3, 29, 6, 0), date(2026, 3, 29)),
        # Winter time began on 25 October: Monday the 26th's 08:00 is 07:00 UTC.
        ("weekly", "Europe/Amsterdam", utc(2026, 10, 26, 6, 59), date(2026, 10, 19)),
        ("weekly", "Europe/Amsterdam", utc(2026, 10, 26, 7, 0), date(2026, 10, 26)),
    ],
)
def test_the_latest_digest_day(schedule, zone, now, day):
    assert latest_send_day(schedule, zone, now) == day
    assert due_day(schedule, zone, now, LONG_AGO) == day


def test_a_rule_made_after_08_00_waits_for_the_next_one():
    made = utc(2026, 11, 30, 15, 0)
    assert due_day("daily", "UTC", utc(2026, 11, 30, 16, 0), made) is None
    assert due_day("daily", "UTC", utc(2026, 12, 1, 8, 0), made) == date(2026, 12, 1)
    assert due_day("weekly", "UTC", utc(2026, 12, 6, 8, 0), made) is None
    assert due_day("weekly", "UTC", utc(2026, 12, 7, 8, 0), made) == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("schedule", "day", "hours"),
    [
        ("daily", date(2026, 3, 29), 23),
        ("daily", date(2026, 10, 25), 25),
        ("daily", date(2026, 11, 30), 24),
        ("weekly", date(2026, 3, 30), 167),
        ("weekly", date(2026, 10, 26), 169),
        ("weekly", date(2026, 11, 30), 168),
    ],
)
def test_a_digest_covers_wall_clock_days(schedule, day, hours):
    start, end = covered(schedule, day, "Europe/Amsterdam")
    assert end - start == timedelta(hours=hours)
    zone = ZoneInfo("Europe/Amsterdam")
    assert (start.astimezone(zone).hour, end.astimezone(zone).hour) == (8, 8)


ZONES = ["UTC", "Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]


@given(
    schedule=st.sampled_from(["daily", "weekly"]),
    zone=st.sampled_from(ZONES),
    now=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    ),
)
def test_the_latest_digest_is_the_last_08_00_before_now(schedule, zone, now):
    day = latest_send_day(schedule, zone, now)
    sent = send_time(day, zone)
    assert sent <= now
    assert (sent.hour, sent.minute) == (8, 0)
    if schedule == "weekly":
        assert day.weekday() == 0
    following = send_time(day + timedelta(days=1 if schedule == "daily" else 7), zone)
    assert following > now


def test_the_site_zone_is_its_setting_else_utc():
    class Site:
        pass

    plain, zoned = Site(), Site()
    zoned.timezone = "Europe/Amsterdam"
    assert (site_zone(plain), site_zone(zoned)) == ("UTC", "Europe/Amsterdam")
