"""Create Touchpoint's Flask extensions, unbound; `create_app` binds them."""

from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base shared by every model."""


def client_address() -> str:
    """Return the client address the rate limiter keys on (ProxyFix has already applied)."""
    from flask import request

    return request.remote_addr or "unknown"


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api()
limiter = Limiter(client_address, swallow_errors=True)
csrf = CSRFProtect()
