"""A bare Flask app answering 204 on ingest's route: the benchmarks' reference point."""

from flask import Flask

app = Flask(__name__)


@app.post("/api/v1/sites/<site_key>/responses")
def post_response(site_key: str):
    """Answer 204 and do nothing else."""
    return "", 204
