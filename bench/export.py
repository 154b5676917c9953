"""Measure the export's rows/s against the database's own CSV writer, and its memory.

    python bench/export.py --database sqlite:////tmp/tp-bench.db
    python bench/export.py --database postgresql://postgres@127.0.0.1:5432/tp_bench

Seed first with bench/seed.py. The export of every row of the first site goes to
/dev/null, as UTF-8, alternately with the reference for the same columns and rows:
`sqlite3 -csv` on SQLite, `psql -c "COPY (…) TO STDOUT WITH CSV HEADER"` on PostgreSQL.
Peak RSS growth is the process's high-water mark after the export minus its RSS before.
With `--format xlsx` the workbook (XlsxWriter, constant memory, via temporary files) is timed
against the same CSV reference: a spreadsheet writer in Python has no budget of its own, but
its memory must stay flat like the others'.
"""

import argparse
import os
import statistics
import subprocess
import time

from sqlalchemy import func, select

from server import create_app
from server.extensions import db
from server.insight.export import FORMATS, stream_export
from server.models import Response, Site

BUDGETS = {"sqlite": 0.20, "postgresql": 0.50}
RSS_BUDGET_MB = 50


def reference_sql(dialect: str, site: Site) -> str:
    """Return a SELECT of the export's columns, formatted the cheapest way, by id."""
    received_at = (
        "replace(received_at, ' ', 'T') || 'Z'"
        if dialect == "sqlite"
        else "to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    )
    return (
        f"SELECT id, {received_at} AS received_at, '{site.key}' AS site_key, metric, score, "
        "phase, phase_source, page_url, page_path, page_title, referrer_host, locale, device, "
        f"comment, email, tags, event_id FROM responses WHERE site_id = {site.id} ORDER BY id"
    )


def reference_command(database: str, dialect: str, site: Site) -> list[str]:
    """Return the command line of the database's own CSV export of the same rows."""
    statement = reference_sql(dialect, site)
    if dialect == "sqlite":
        return ["sqlite3", "-csv", "-header", database.removeprefix("sqlite:///"), statement]
    return ["psql", "-X", "-q", database, "-c", f"COPY ({statement}) TO STDOUT WITH CSV HEADER"]


def memory_kb(field: str) -> int:
    """Return a memory figure of this process from /proc/self/status, in kB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def run_export(site: Site, fmt: str) -> tuple[float, int]:
    """Export every row of `site` to /dev/null; return the seconds taken and the bytes."""
    written = 0
    with open(os.devnull, "wb") as sink:
        started = time.perf_counter()
        for chunk in stream_export(site, {}, fmt):
            written += sink.write(chunk if isinstance(chunk, bytes) else chunk.encode())
        return time.perf_counter() - started, written


def run_reference(command: list[str]) -> float:
    """Run the reference export to /dev/null; return the seconds taken."""
    with open(os.devnull, "wb") as sink:
        started = time.perf_counter()
        subprocess.run(command, stdout=sink, check=True)
        return time.perf_counter() - started


def main() -> None:
    """Time the export and its reference alternately and print rows/s, ratio and RSS."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--format", default="csv", choices=FORMATS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    os.environ["TOUCHPOINT_DATABASE_URL"] = args.database
    app = create_app({"SECRET_KEY": "bench"})
    with app.app_context():
        dialect = db.engine.dialect.name
        site = db.session.scalar(select(Site).order_by(Site.id).limit(1))
        rows = db.session.scalar(select(func.count()).where(Response.site_id == site.id))
        command = reference_command(args.database, dialect, site)
        db.session.rollback()
        rss_before = memory_kb("VmRSS")
        product_times, reference_times = [], []
        for _ in range(args.repeat):
            seconds, written = run_export(site, args.format)
            product_times.append(seconds)
            reference_times.append(run_reference(command))
        growth_mb = (memory_kb("VmHWM") - rss_before) / 1024

    product = rows / statistics.median(product_times)
    reference = rows / statistics.median(reference_times)
    budget = BUDGETS[dialect]
    tool = "sqlite3 -csv" if dialect == "sqlite" else "psql COPY … TO STDOUT WITH CSV"
    print(f"{dialect}, {rows} rows, {args.format}, median of {args.repeat} alternating runs")
    print(f"export      {product:>10,.0f} rows/s  ({written / 1e6:.0f} MB)")
    print(f"{tool:<11} {reference:>10,.0f} rows/s")
    ratio = product / reference
    verdict = "within" if ratio >= budget else "UNDER"
    print(f"ratio {ratio:.2f} ({verdict} the {budget:.2f} budget)")
    print(f"peak RSS growth {growth_mb:.1f} MB (budget < {RSS_BUDGET_MB} MB)")


if __name__ == "__main__":
    main()
