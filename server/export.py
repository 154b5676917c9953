"""Stream a site's responses as CSV or NDJSON with memory that stays flat.

Rows come out by id, ascending. On PostgreSQL the CSV is produced by the database itself
(`COPY … TO STDOUT WITH CSV`), with the formula guard and the formatting done in SQL; on
SQLite, and for NDJSON, a lean loop reads the rows in batches. Both CSV paths give the same
bytes for the same rows.

The formula guard covers the columns a visitor or a client can fill freely. The others cannot
begin with a guarded character: `id` and `score` are never negative (scores start at 0),
`received_at` starts with a digit, `tags` with `{`, the site key with `pk_`, and `metric`,
`phase`, `phase_source`, `device` and `themes` hold fixed words.
"""

import csv
import json
import operator
from collections.abc import Iterator
from functools import reduce

from sqlalchemy import String, case, func, literal, literal_column, select, type_coerce
from sqlalchemy.engine import Engine

from .extensions import db
from .filters import has_theme, response_conditions
from .models import Response, Site
from .themes import THEMES, mask_themes

FORMATS = ("csv", "ndjson")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}

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
)
GUARDED_COLUMNS = frozenset(
    (
        "page_url",
        "page_path",
        "page_title",
        "referrer_host",
        "locale",
        "comment",
        "email",
        "event_id",
    )
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TAGS_INDEX = COLUMNS.index("tags")
#: The CSV writes a response's themes as names joined by this separator.
THEME_SEPARATOR = ";"

#: Rows read per round trip (and written per chunk), and the bytes of COPY output per chunk.
BATCH_ROWS = 2000
CHUNK_BYTES = 64 * 1024

# PostgreSQL's COPY quotes an empty string ("") to tell it from NULL; the CSV has an empty
# field for both, so empty strings become NULL.
NULLABLE_TEXT = frozenset(("page_title", "referrer_host", "locale", "comment", "email", "themes"))


def received_at_text(dialect: str):
    """Return SQL that formats `received_at` as ISO 8601 UTC with microseconds and `Z`."""
    if dialect == "sqlite":
        # SQLite stores naive UTC text `YYYY-MM-DD HH:MM:SS.ffffff`.
        return type_coerce(func.replace(Response.received_at, " ", "T"), String) + "Z"
    utc = func.timezone("UTC", Response.received_at)
    return func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')


def guarded(column):
    """Return SQL that puts a `'` before a value starting like a spreadsheet formula."""
    quoted = literal("'") + column
    return case(
        dict.fromkeys(FORMULA_PREFIXES, quoted), value=func.substr(column, 1, 1), else_=column
    )


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


def themes_text():
    """Return SQL that writes the themes bit mask as `;`-separated names ("" for none)."""
    named = [
        case((has_theme(theme), literal(THEME_SEPARATOR + theme, String)), else_="")
        for theme in THEMES
    ]
    # Every name carries a leading separator; dropping the first character removes it.
    return func.substr(reduce(operator.add, named), 2)


def compact_json(value) -> str | None:
    """Return `value` as compact JSON with sorted keys (None for a missing value)."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def export_query(site: Site, filters: dict, dialect: str, fmt: str):
    """Return the SELECT of the export's columns, in order, for the given format."""
    values = {
        "id": Response.id,
        "received_at": received_at_text(dialect),
        "site_key": literal(site.key, String),
        "tags": POSTGRES_TAGS if fmt == "csv" and dialect != "sqlite" else Response.tags,
        "themes": themes_text() if fmt == "csv" else Response.themes,
    }
    columns = []
    for name in COLUMNS:
        value = values[name] if name in values else getattr(Response, name)
        if fmt == "csv" and name in NULLABLE_TEXT:
            value = func.nullif(value, "")
        if fmt == "csv" and name in GUARDED_COLUMNS:
            value = guarded(value)
        columns.append(value.label(name))
    return select(*columns).where(*response_conditions(site.id, filters)).order_by(Response.id)


def copy_csv(engine: Engine, query) -> Iterator[str]:
    """Yield the CSV PostgreSQL's COPY writes for `query`, header included."""
    with engine.connect() as connection:
        compiled = query.compile(dialect=connection.dialect)
        statement = f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv, HEADER)"
        driver = connection.connection.driver_connection
        encoding = driver.info.encoding
        with driver.cursor() as cursor, cursor.copy(statement, compiled.params) as copy:
            pending, size = [], 0
            for data in copy:
                pending.append(bytes(data))
                size += len(data)
                if size >= CHUNK_BYTES:
                    yield b"".join(pending).decode(encoding)
                    pending, size = [], 0
            if pending:
                yield b"".join(pending).decode(encoding)


def batches(engine: Engine, query) -> Iterator[list]:
    """Yield the rows of `query` in batches, read through a server-side cursor."""
    with engine.connect() as connection:
        streaming = connection.execution_options(stream_results=True, yield_per=BATCH_ROWS)
        yield from streaming.execute(query).partitions()


class LineCollector:
    """A file-like sink that keeps each line the csv writer writes."""

    def __init__(self, lines: list[str]):
        self.write = lines.append


def with_compact_tags(row) -> list:
    """Return a copy of `row` whose tags are written as compact JSON."""
    row = list(row)
    row[TAGS_INDEX] = compact_json(row[TAGS_INDEX])
    return row


def loop_csv(engine: Engine, query) -> Iterator[str]:
    """Yield the CSV of `query` written row by row in Python, header included."""
    lines: list[str] = []
    # Python's csv module quotes a field only for the characters of its line terminator,
    # PostgreSQL's COPY for any CR or LF: writing "\r\n" and cutting it off matches COPY.
    writer = csv.writer(LineCollector(lines), lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for rows in batches(engine, query):
        writer.writerows(row if row[TAGS_INDEX] is None else with_compact_tags(row) for row in rows)
        yield "".join([line[:-2] + "\n" for line in lines])
        lines.clear()
    if lines:
        yield "".join([line[:-2] + "\n" for line in lines])


def loop_ndjson(engine: Engine, query) -> Iterator[str]:
    """Yield one JSON object per row of `query`, keys in column order, tags sorted."""
    for rows in batches(engine, query):
        lines = []
        for row in rows:
            record = dict(zip(COLUMNS, row, strict=True))
            if isinstance(record["tags"], dict):
                record["tags"] = dict(sorted(record["tags"].items()))
            record["themes"] = mask_themes(record["themes"])
            lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        yield "".join(lines)


def stream_export(site: Site, filters: dict, fmt: str) -> Iterator[str]:
    """Return an iterator of text chunks: the site's responses passing `filters`, by id.

    The query is built now, inside the request or command; rows are read only while the
    iterator is consumed, on a connection of its own, so no app context is needed then.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format: {fmt!r}")
    engine = db.engine
    query = export_query(site, filters, engine.dialect.name, fmt)
    if fmt == "ndjson":
        return loop_ndjson(engine, query)
    if engine.dialect.name == "postgresql":
        return copy_csv(engine, query)
    return loop_csv(engine, query)
