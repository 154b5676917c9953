# Touchpoint: gunicorn serving the Flask app, migrations applied at start.

# Build stage: install the package and its dependencies into a virtual environment.
FROM python:3.12-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/touchpoint

WORKDIR /src
# .dockerignore lets only the package sources through: server/, the built widget in
# widget/dist/, pyproject.toml and README.md.
COPY . .
RUN /opt/touchpoint/bin/pip install --no-cache-dir . \
    && /opt/touchpoint/bin/python -m compileall -q /opt/touchpoint/lib

# Final stage: the slim base, the virtual environment and nothing that compiles.
FROM python:3.12-slim-bookworm

ENV PATH=/opt/touchpoint/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TOUCHPOINT_ENV=production \
    TOUCHPOINT_BIND=0.0.0.0:8000 \
    TOUCHPOINT_DATABASE_URL=sqlite:////var/lib/touchpoint/touchpoint.db

RUN groupadd --system --gid 10001 touchpoint \
    && useradd --system --uid 10001 --gid touchpoint --home-dir /var/lib/touchpoint \
        --create-home --shell /usr/sbin/nologin touchpoint

COPY --from=build /opt/touchpoint /opt/touchpoint
COPY docker/entrypoint.sh /usr/local/bin/touchpoint-entrypoint

USER 10001:10001
WORKDIR /var/lib/touchpoint
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

ENTRYPOINT ["/usr/local/bin/touchpoint-entrypoint"]
CMD ["gunicorn", "--config", "python:server.gunicorn_conf", "server.wsgi:app"]
