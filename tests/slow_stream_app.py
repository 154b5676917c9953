"""A WSGI app whose one response streams for longer than the worker timeout under test."""

import os
import time

CHUNKS = int(os.environ.get("SLOW_STREAM_CHUNKS", "10"))
PAUSE = float(os.environ.get("SLOW_STREAM_PAUSE", "0.5"))


def app(environ, start_response):
    """Stream CHUNKS numbered lines, pausing PAUSE seconds before each, like a long export."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    for number in range(CHUNKS):
        time.sleep(PAUSE)
        yield f"{number}\n".encode()
