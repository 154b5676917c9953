"""Build the export's SELECTs: its columns, and for CSV the formula guard and formatting in SQL.

On PostgreSQL the CSV is written by `COPY … TO STDOUT WITH CSV` from `export_query`; on
SQLite `sqlite_csv_query` writes each line but `tags`. Both give the same bytes for the same
rows.

The formula guard covers the columns a visitor, a client or the team can fill freely (page
title, referrer host, comment, email, event id, note). The others cannot begin with a guarded
character, so they are not tested row by row: `id` and `score` are never negative (scores
start at 0), `received_at` starts with a digit, `tags` with `{`, the site key with `pk_`,
`page_url` with `http`, `page_path` with `/`, `locale` with a letter (a BCP 47 tag), and
`metric`, `phase`, `phase_source`, `device`, `themes`, `reasons` and `status` hold fixed words.
"""

import operator
from functools import reduce

from sqlalchemy import String, case, func, literal, literal_column, select, type_coerce

from ..models import Response, Site
from .filters import has_reported_theme, has_theme, response_conditions
from .themes import THEMES

COLUMNS = (
    "id",
    "received_at",
    "site_key",
    "metric",
    "score",
    "phase",
    "phase_source",
    "page_url",
    "page_path",
    "page_title",
    "referrer_host",
    "locale",
    "device",
    "comment",
    "email",
    "tags",
    "event_id",
    "themes",
    "reasons",
    "status",
    "note",
)
GUARDED_COLUMNS = frozenset(("page_title", "referrer_host", "comment", "email", "event_id", "note"))
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Columns whose values may hold a comma, a quote or a line break, so may need quoting.
FREE_TEXT = (
    frozenset(
        (
            "page_url",
            "page_path",
            "page_title",
            "referrer_host",
            "locale",
            "comment",
            "email",
            "note",
        )
    )
    | GUARDED_COLUMNS
)
SQLITE_NEEDS_QUOTES = "'*[,\"\n\r]*'"
TAGS_INDEX = COLUMNS.index("tags")
#: The CSV writes a response's themes and reasons as names joined by this separator.
THEME_SEPARATOR = ";"

# PostgreSQL's COPY quotes an empty string ("") to tell it from NULL; the CSV has an empty
# field for both, so there empty strings become NULL.
NULLABLE_TEXT = frozenset(
    (
        "page_title",
        "referrer_host",
        "locale",
        "comment",
        "email",
        "event_id",
        "themes",
        "reasons",
        "note",
    )
)
#: The SQL condition that a response has a theme, per themes column: `themes` is the union of
#: the comment's and the visitor's themes, `reasons` the visitor's alone.
THEME_CONDITIONS = {"themes": has_theme, "reasons": has_reported_theme}


def received_at_text(dialect: str):
    """Return SQL that formats `received_at` as ISO 8601 UTC with microseconds and `Z`."""
    if dialect == "sqlite":
        # SQLite stores naive UTC text `YYYY-MM-DD HH:MM:SS.ffffff`.
        return type_coerce(func.replace(Response.received_at, " ", "T"), String) + "Z"
    utc = func.timezone("UTC", Response.received_at)
    return func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')


def guarded(column, dialect: str):
    """Return SQL that puts a `'` before a value starting like a spreadsheet formula.

    The first character's code is compared with integer constants, the cheapest test in
    both databases.
    """
    first = (func.unicode if dialect == "sqlite" else func.ascii)(column)
    codes = ", ".join(str(ord(prefix)) for prefix in FORMULA_PREFIXES)
    risky = first.op("IN")(literal_column(f"({codes})"))
    return case((risky, literal_column("''''", String) + column), else_=column)


# `tags` as compact JSON with sorted keys, exactly as `json.dumps(tags, sort_keys=True,
# separators=(",", ":"), ensure_ascii=False)` writes it. The column is `json`, not `jsonb`,
# so numbers keep the text Python wrote at ingest; strings are re-encoded by `to_json`,
# which escapes the same characters as Python's json with `ensure_ascii=False`.
POSTGRES_TAGS = literal_column(
    """CASE json_typeof(responses.tags)
    WHEN 'object' THEN '{' || coalesce((
        SELECT string_agg(
            to_json(tag.key)::text || ':' || CASE json_typeof(tag.value)
                WHEN 'string' THEN to_json(tag.value #>> '{}')::text
                ELSE tag.value::text END,
            ',' ORDER BY tag.key COLLATE "C")
        FROM json_each(responses.tags) AS tag), '') || '}'
    WHEN 'null' THEN NULL
    ELSE responses.tags::text END""",
    type_=String,
)


def themes_text(name: str):
    """Return SQL that writes themes column `name` as `;`-separated names ("" for none)."""
    named = [
        case((THEME_CONDITIONS[name](theme), literal(THEME_SEPARATOR + theme, String)), else_="")
        for theme in THEMES
    ]
    # Every name carries a leading separator; dropping the first character removes it.
    return func.substr(reduce(operator.add, named), 2)


def unindexed(column):
    """Return SQLite SQL for `column` behind a unary `+`, which no index can serve."""
    return type_coerce(literal_column(f"+responses.{column.key}"), column.type)


def export_conditions(site: Site, filters: dict, dialect: str) -> list:
    """Return the export's WHERE conditions, written so that SQLite reads rows by id.

    Every index on `responses` starts with `site_id`; given one of them, SQLite's planner
    (whose choice depends on the data) may read the site's rows through it and then sort
    them all by id before it returns a first row (56 s for a million rows). A unary `+` on
    `site_id` and `received_at` keeps those indexes out, so the rows come in rowid (= id)
    order, without a sort, and the first one leaves at once; the conditions are still tested
    row by row.
    """
    if dialect != "sqlite":
        return response_conditions(site.id, filters)
    window = {name: filters.get(name) for name in ("start", "end")}
    # The first condition is the site's; the others cannot use an index by themselves.
    conditions = response_conditions(site.id, {**filters, "start": None, "end": None})[1:]
    conditions.append(unindexed(Response.site_id) == site.id)
    received_at = unindexed(Response.received_at)
    if window["start"] is not None:
        conditions.append(received_at >= window["start"])
    if window["end"] is not None:
        conditions.append(received_at < window["end"])
    return conditions


def export_query(site: Site, filters: dict, dialect: str, fmt: str):
    """Return the export's SELECT: raw values for NDJSON, COPY-ready text for CSV."""
    values = {
        "id": Response.id,
        "received_at": received_at_text(dialect),
        "site_key": literal(site.key, String),
        "tags": POSTGRES_TAGS if fmt == "csv" else Response.tags,
        "themes": themes_text("themes") if fmt == "csv" else Response.themes,
        "reasons": themes_text("reasons") if fmt == "csv" else Response.reasons,
    }
    columns = []
    for name in COLUMNS:
        value = values[name] if name in values else getattr(Response, name)
        if fmt == "csv" and name in NULLABLE_TEXT:
            value = func.nullif(value, literal_column("''"))
        if fmt == "csv" and name in GUARDED_COLUMNS:
            value = guarded(value, dialect)
        columns.append(value.label(name))
    conditions = export_conditions(site, filters, dialect)
    return select(*columns).where(*conditions).order_by(Response.id)


def sqlite_cell(site: Site, name: str):
    """Return SQLite SQL that writes one column as a finished CSV field."""
    if name == "site_key":
        return literal(site.key, String)
    if name == "received_at":
        return received_at_text("sqlite")
    if name in THEME_CONDITIONS:
        # Theme names hold no comma, quote or line break: never quoted.
        return themes_text(name)
    value = getattr(Response, name)
    if name in ("id", "score"):
        return type_coerce(value, String)
    if name in GUARDED_COLUMNS:
        value = guarded(value, "sqlite")
    if name in FREE_TEXT:
        escaped = func.replace(value, literal_column("'\"'"), literal_column("'\"\"'"))
        quoted = literal_column("'\"'", String) + escaped + literal_column("'\"'", String)
        value = case((value.op("GLOB")(literal_column(SQLITE_NEEDS_QUOTES)), quoted), else_=value)
    return func.coalesce(value, literal_column("''"), type_=String)


def sqlite_csv_query(site: Site, filters: dict):
    """Return a SELECT of each row's CSV line, cut around `tags`, which Python writes."""
    comma = literal_column("','", String)
    head = [sqlite_cell(site, name) for name in COLUMNS[:TAGS_INDEX]]
    line = head[0]
    for cell in head[1:]:
        line = line + comma + cell
    tail = reduce(
        operator.add, [comma + sqlite_cell(site, name) for name in COLUMNS[TAGS_INDEX + 1 :]]
    )
    return (
        select((line + comma).label("head"), type_coerce(Response.tags, String), tail)
        .where(*export_conditions(site, filters, "sqlite"))
        .order_by(Response.id)
    )
