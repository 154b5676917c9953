"""`/api/v1/`: the API's index, and the docs page's files: pinned, hashed, served strictly."""

import hashlib
import json
from pathlib import Path

import pytest

from server.api.index import DOCS_FOLDER

ROOT = Path(__file__).parent.parent.parent


def test_the_index_links_to_the_documents_and_each_link_answers(client):
    answer = client.get("/api/v1/")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["name"] == "Touchpoint"
    assert body["links"] == {
        "openapi": "/api/v1/openapi.json",
        "docs": "/api/v1/docs",
        "widget": "/widget.js",
        "health": "/healthz",
    }
    for url in body["links"].values():
        with client.get(url) as linked:
            assert linked.status_code == 200, url


def test_the_docs_page_runs_only_its_own_files_under_a_strict_policy(client):
    answer = client.get("/api/v1/docs")
    assert answer.status_code == 200
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    page = answer.get_data(as_text=True)
    assert "<script>" not in page and "http" not in page
    for name in ("swagger-ui-bundle.js", "init.js", "swagger-ui.css"):
        assert f'"docs/{name}"' in page
        with client.get(f"/api/v1/docs/{name}") as asset:
            assert asset.status_code == 200
            assert asset.headers["Cache-Control"] == "public, max-age=86400"


@pytest.mark.parametrize("name", ["index.html", "SHA256SUMS", "LICENSE", "..%2Findex.py", "x.js"])
def test_only_the_pages_files_are_served(client, name):
    assert client.get(f"/api/v1/docs/{name}").status_code == 404


def test_the_vendored_files_are_the_pinned_release():
    lines = (DOCS_FOLDER / "SHA256SUMS").read_text().splitlines()
    package, version = lines[0].removeprefix("# ").split()
    lock = json.loads((ROOT / "apidocs" / "package-lock.json").read_text())
    assert lock["packages"][f"node_modules/{package}"]["version"] == version
    manifest = json.loads((ROOT / "apidocs" / "package.json").read_text())
    assert manifest["dependencies"][package] == version
    for line in lines[1:]:
        digest, name = line.split()
        assert hashlib.sha256((DOCS_FOLDER / name).read_bytes()).hexdigest() == digest, name
