"""A database that cannot be reached is a 503 with Retry-After, however the error arrives."""

import sqlite3

import psycopg
import pytest
from sqlalchemy.exc import OperationalError


@pytest.mark.parametrize(
    "error",
    [
        psycopg.OperationalError("FATAL:  the database system is shutting down"),
        sqlite3.OperationalError("database is locked"),
        OperationalError("INSERT", {}, Exception("server closed the connection unexpectedly")),
    ],
    ids=["psycopg-raw", "sqlite3-raw", "sqlalchemy-wrapped"],
)
def test_unreachable_database_is_503_never_500(own_app, error):
    app = own_app

    @app.post("/api/v1/needs-the-database")
    def needs_the_database():
        raise error

    response = app.test_client().post("/api/v1/needs-the-database")
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.get_json()["code"] == 503
