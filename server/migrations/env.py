import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging, leaving the loggers that already exist
# (the server's own, when `db upgrade` runs inside a live process or a test) working.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    return current_app.extensions["migrate"].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")
    except AttributeError:
        return str(get_engine().url).replace("%", "%%")


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


#: The advisory lock key every `db upgrade` on PostgreSQL takes ("tpmigrat" in ASCII).
MIGRATION_LOCK_KEY = 0x74706D6967726174


#: Milliseconds a `db upgrade` on SQLite waits for another one's migrations to finish.
SQLITE_MIGRATION_WAIT_MS = 600_000


@contextmanager
def advisory_lock(connection):
    """Hold PostgreSQL's advisory lock so two `db upgrade` runs migrate one after the other.

    Without it, two replicas starting on an empty database both create the schema and one
    fails (duplicate type). The second waits here, then finds the schema at head and does
    nothing.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})")
    connection.commit()
    try:
        yield
    finally:
        # A session lock outlives the transaction: release it before the pool reuses the
        # connection (a failed migration leaves the transaction to roll back first).
        connection.rollback()
        connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})")
        connection.commit()


def begin_sqlite_write(connection) -> None:
    """Take SQLite's write lock for the whole run, so two `db upgrade` runs go one by one.

    The driver starts no transaction for DDL, so each CREATE would commit alone and a second
    run would create the same tables; within one BEGIN IMMEDIATE the second run waits, then
    finds the schema at head. Alembic sees the transaction open and leaves it to this file.
    """
    connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_MIGRATION_WAIT_MS}")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True)

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    with connectable.connect() as connection, advisory_lock(connection):
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite rebuilds a table to change it (batch mode); with foreign keys on,
            # dropping the old copy of a table others refer to would delete their rows
            # (ON DELETE CASCADE). SQLite's own advice: off around the change, checked after.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            busy_timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
            connection.commit()
            begin_sqlite_write(connection)
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)

        with context.begin_transaction():
            context.run_migrations()

        if sqlite:
            connection.commit()
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.exec_driver_sql(f"PRAGMA busy_timeout={busy_timeout}")
            connection.commit()
            if broken:
                raise RuntimeError(f"rows refer to rows that do not exist: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
