"""Configure gunicorn for `touchpoint serve` and the container image."""

import os

bind = os.environ.get("TOUCHPOINT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("TOUCHPOINT_WORKERS", "2"))
threads = int(os.environ.get("TOUCHPOINT_THREADS", "1"))
# Streamed exports of a million rows take several seconds; the timeout guards hung workers only.
timeout = int(os.environ.get("TOUCHPOINT_WORKER_TIMEOUT", "120"))
graceful_timeout = 30
accesslog = "-"
