"""Stream a site's responses as CSV or NDJSON with memory that stays flat.

Rows come out by id, ascending. On PostgreSQL the CSV is produced by the database itself
(`COPY … TO STDOUT WITH CSV`), with the formula guard and the formatting done in SQL
(`export_query.py`); on SQLite, and for NDJSON, a lean loop reads the rows in batches. Both CSV
paths give the same bytes for the same rows.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from werkzeug.wrappers import Response as HttpResponse

from ..extensions import db
from ..models import Site
from .export_query import COLUMNS, export_query, sqlite_csv_query
from .themes import mask_themes

FORMATS = ("csv", "ndjson")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}

#: Rows read per round trip (and written per chunk), and the bytes of COPY output per chunk.
BATCH_ROWS = 2000
CHUNK_BYTES = 64 * 1024


def compact_json(value) -> str | None:
    """Return `value` as compact JSON with sorted keys (None for a missing value)."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
        # Closing the result closes PostgreSQL's server-side cursor, also when the
        # consumer stops early.
        with streaming.execute(query) as result:
            yield from result.partitions()


def csv_field(text: str) -> str:
    """Quote `text` as RFC 4180 and COPY do: only when it holds a comma, quote, CR or LF."""
    if any(character in text for character in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def tags_field(stored: str | None) -> str:
    """Return the CSV field of stored JSON tags: compact, keys sorted, quoted as needed."""
    tags = None if stored is None else compact_json(json.loads(stored))
    return "" if tags is None else csv_field(tags)


def sqlite_csv(engine: Engine, query) -> Iterator[str]:
    """Yield the CSV lines SQLite writes for `query`, header first.

    SQLite quotes, guards and joins every field itself; Python only writes `tags` (SQLite
    cannot sort JSON keys) and glues each line together.
    """
    header = ",".join(COLUMNS) + "\n"
    with engine.connect() as connection, connection.execute(query) as result:
        # Every column is text already, so the driver's plain tuples are used as they are;
        # SQLite's cursor steps through the rows lazily.
        cursor = result.cursor
        while rows := cursor.fetchmany(BATCH_ROWS):
            yield header + "".join(
                [
                    f"{head}{tail}\n" if tags is None else f"{head}{tags_field(tags)}{tail}\n"
                    for head, tags, tail in rows
                ]
            )
            header = ""
    if header:
        yield header


def loop_ndjson(engine: Engine, query) -> Iterator[str]:
    """Yield one JSON object per row of `query`, keys in column order, tags sorted."""
    for rows in batches(engine, query):
        lines = []
        for row in rows:
            record = dict(zip(COLUMNS, row, strict=True))
            if isinstance(record["tags"], dict):
                record["tags"] = dict(sorted(record["tags"].items()))
            # `themes` is the union of the comment's themes and the visitor's own.
            record["themes"] = mask_themes(record["themes"] | record["reasons"])
            record["reasons"] = mask_themes(record["reasons"])
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
    dialect = engine.dialect.name
    if fmt == "ndjson":
        return loop_ndjson(engine, export_query(site, filters, dialect, fmt))
    if dialect == "sqlite":
        return sqlite_csv(engine, sqlite_csv_query(site, filters))
    return copy_csv(engine, export_query(site, filters, dialect, fmt))


@dataclass(frozen=True)
class Download:
    """An export ready to send: its streamed text, content type and file name."""

    chunks: Iterator[str]
    content_type: str
    filename: str

    def response(self) -> HttpResponse:
        """Return the download as a streamed HTTP attachment."""
        return HttpResponse(
            self.chunks,
            content_type=self.content_type,
            headers={"Content-Disposition": f'attachment; filename="{self.filename}"'},
        )


def export_download(site: Site, filters: dict, fmt: str) -> Download:
    """Return the site's export in `fmt` as a download named after the site and today (UTC)."""
    filename = f"touchpoint-{site.key}-{datetime.now(UTC):%Y-%m-%d}.{fmt}"
    return Download(stream_export(site, filters, fmt), CONTENT_TYPES[fmt], filename)
