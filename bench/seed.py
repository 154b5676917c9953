"""Seed a database with many realistic responses for one site, fast.

    python bench/seed.py --database sqlite:////tmp/tp-bench.db --rows 1000000
    python bench/seed.py --database postgresql://postgres@127.0.0.1:5432/tp_bench

The schema is created by the migrations; the rows go in with `executemany` in large
transactions (SQLite) or `COPY … FROM STDIN` (PostgreSQL). Prints the site key.
"""

import argparse
import json
import os
import random
import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta

from flask_migrate import upgrade

from server import create_app
from server.ingest.store import COLUMNS
from server.insight.themes import THEMES, comment_mask, themes_mask
from server.models import SCORE_RANGES
from server.sites.manage import create_site
from server.text import fold, fold_email

METRIC_WEIGHTS = {"nps": 40, "csat": 30, "ces": 15, "thumbs": 15}
PHASES = ("awareness", "consideration", "conversion", "loyalty", "advocacy", None)
DEVICES = ("desktop", "desktop", "mobile", "mobile", "tablet", None)
LOCALES = ("en", "en-GB", "nl", "nl-NL", "de-DE", "fr", None)
SECTIONS = ("blog", "products", "checkout", "account", "support", "pricing", "docs")
COMMENTS = (
    "Checkout was fast, thanks!",
    "De pagina laadt erg traag",
    "Couldn't find the return form",
    'Search for "size 42" gave nothing, even after 3 tries',
    "Waited 20 minutes for the chat",
    "Top service, snel geleverd 👍",
    '=HYPERLINK("http://x")',
    "Too many bots, I want a human\nwho listens",
)
BATCH = 50_000


def responses(site_id: int, count: int, seed: int, days: int):
    """Yield `count` plausible response rows (tuples in COLUMNS order), spread over `days`."""
    rng = random.Random(seed)
    metrics = list(METRIC_WEIGHTS)
    weights = list(METRIC_WEIGHTS.values())
    paths = [f"/{rng.choice(SECTIONS)}/{n}" for n in range(300)] + ["/"]
    start = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=days)
    step = days * 86400 / count
    for number in range(count):
        metric = rng.choices(metrics, weights)[0]
        low, high = SCORE_RANGES[metric]
        path = rng.choice(paths)
        phase = rng.choice(PHASES)
        # Ascending in time, as ids are in production.
        received = start + timedelta(seconds=(number + rng.random()) * step)
        has_tags = rng.random() < 0.1
        score = rng.randint(low, high)
        comment = rng.choice(COMMENTS) if rng.random() < 0.3 else None
        email = f"visitor{rng.randint(1, 99999)}@example.com" if rng.random() < 0.05 else None
        # A third of the answers in the lower half of the scale pick one or two reasons.
        picked = score <= (low + high) // 2 and rng.random() < 0.33
        reasons = themes_mask(rng.sample(THEMES, rng.randint(1, 2))) if picked else 0
        yield (
            site_id,
            received,
            metric,
            score,
            comment,
            email,
            "https://shop.example" + path,
            path,
            f"{path.split('/')[1].title()} — Shop" if path != "/" else "Shop",
            rng.choice(("www.google.com", "duckduckgo.com", None, None)),
            phase,
            None if phase is None else rng.choice(("client", "rule")),
            rng.choice(LOCALES),
            rng.choice(DEVICES),
            json.dumps({"plan": rng.choice(("free", "pro")), "seats": rng.randint(1, 50)})
            if has_tags
            else None,
            str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            comment_mask(comment),
            fold(comment),
            fold_email(email),
            reasons,
        )


def seed_sqlite(path: str, rows) -> None:
    """Insert rows into the SQLite file at `path` in large transactions."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA cache_size=-262144")  # 256 MiB keeps the indexes in memory
    placeholders = ", ".join("?" * len(COLUMNS))
    statement = f"INSERT INTO responses ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    batch = []
    for row in rows:
        # Stored exactly as SQLAlchemy stores an aware UTC datetime on SQLite.
        batch.append((row[0], row[1].strftime("%Y-%m-%d %H:%M:%S.%f"), *row[2:]))
        if len(batch) == BATCH:
            with connection:
                connection.executemany(statement, batch)
            batch.clear()
    with connection:
        connection.executemany(statement, batch)
        connection.execute("ANALYZE")
    connection.close()


def seed_postgres(url: str, rows) -> None:
    """Copy rows into the PostgreSQL database at `url`."""
    import psycopg

    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        with cursor.copy(f"COPY responses ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row[:1], row[1].replace(tzinfo=UTC), *row[2:]))
        connection.commit()
        connection.autocommit = True
        cursor.execute("VACUUM ANALYZE responses")


def main() -> None:
    """Create the schema and a site, then seed it with responses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="sqlite:///path or postgresql://…")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365, help="spread rows over this many days")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    os.environ["TOUCHPOINT_DATABASE_URL"] = args.database
    app = create_app({"SECRET_KEY": "bench"})
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        upgrade()
        site = create_site("Bench shop", ["https://shop.example"])
        site_id, site_key = site.id, site.key
    started = time.perf_counter()
    rows = responses(site_id, args.rows, args.seed, args.days)
    if uri.startswith("sqlite"):
        seed_sqlite(uri.removeprefix("sqlite:///"), rows)
    else:
        seed_postgres(args.database, rows)
    seconds = time.perf_counter() - started
    print(f"seeded {args.rows} responses in {seconds:.1f} s for site {site_key}")


if __name__ == "__main__":
    main()
