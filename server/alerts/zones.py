"""Name the time zone a site's alerts are written and scheduled in."""

DEFAULT_ZONE = "UTC"


def site_zone(site) -> str:
    """Return the site's IANA time zone name (its `timezone` setting), else UTC."""
    return getattr(site, "timezone", None) or DEFAULT_ZONE
