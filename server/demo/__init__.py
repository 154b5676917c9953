"""Show Touchpoint working: a demo site with sample responses and a demo shop that embeds it.

The shop's pages are served only when TOUCHPOINT_DEMO is on (by default in development, never
in production unless asked for).
"""

from flask import Flask

from .shop import bp


def init_app(app: Flask) -> None:
    """Serve the demo shop at /demo/ when the configuration asks for it."""
    if app.config["TOUCHPOINT_DEMO"]:
        app.register_blueprint(bp)
