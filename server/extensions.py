"""Create Touchpoint's Flask extensions, unbound; `create_app` binds them."""

import flask_smorest
from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from .schemas.error import ErrorSchema


class Base(DeclarativeBase):
    """Declarative base shared by every model."""


class Api(flask_smorest.Api):
    """flask-smorest's Api, with each operation listing its own error answers in our shape.

    flask-smorest adds a catch-all `default` error answer to every operation; with it, any
    status would pass as documented, so an operation lists each status it can give instead.
    """

    DEFAULT_ERROR_RESPONSE_NAME = None
    ERROR_SCHEMA = ErrorSchema


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api()
csrf = CSRFProtect()
babel = Babel()
