"""The committed widget build: within its size budgets, equal to a fresh build, installed by pip."""

import gzip
import re
import shutil
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
WIDGET = ROOT / "widget"
DIST_DIR = WIDGET / "dist"
DIST = DIST_DIR / "widget.js"
GZIP_BUDGET = 6144
#: Each lazily loaded module (one language's texts and the code that runs after interaction).
LAZY_GZIP_BUDGET = 4096
LANGUAGES = ("ar", "de", "en", "es", "fr", "nl")


def lazy_modules() -> list[Path]:
    """Return the lazily loaded modules in dist, one per language."""
    return sorted(path for path in DIST_DIR.glob("*.js") if path != DIST)


def test_the_bundle_fits_the_gzip_budget():
    assert len(gzip.compress(DIST.read_bytes(), compresslevel=9)) <= GZIP_BUDGET


def test_there_is_one_lazy_module_per_language_within_its_budget():
    modules = lazy_modules()
    assert sorted(path.name.split(".")[0] for path in modules) == list(LANGUAGES)
    for path in modules:
        assert len(gzip.compress(path.read_bytes(), compresslevel=9)) <= LAZY_GZIP_BUDGET


def test_the_bundle_names_the_lazy_modules_it_imports():
    (suffix,) = {path.name.split(".", 1)[1] for path in lazy_modules()}
    assert f".{suffix}`" in DIST.read_text()


def test_the_bundle_holds_the_settings_literal_once():
    # The per-site script (server/api/widget.py) replaces it, quotes included.
    assert DIST.read_bytes().count(b'"__TOUCHPOINT_SITE_SETTINGS__"') == 1


@pytest.mark.parametrize("suffix", [".gz", ".br"])
def test_every_file_has_its_compressed_forms_beside_it(suffix):
    for path in [DIST, *lazy_modules()]:
        coded = path.with_name(path.name + suffix).read_bytes()
        plain = gzip.decompress(coded) if suffix == ".gz" else brotli.decompress(coded)
        assert plain == path.read_bytes()


def test_every_internal_property_is_mangled():
    # Internal properties end with `_` and the build renames them; one left over was reached
    # in a way the build cannot follow (a quoted or computed name) and would read `undefined`.
    # The names the widget shares with the page, the server and storage never end with `_`;
    # tests/browser/test_widget_names.py checks that they keep their spelling.
    assert re.findall(r"[A-Za-z$][\w$]*[A-Za-z0-9$]_\b", DIST.read_text()) == []


def test_the_committed_bundle_equals_a_fresh_build(tmp_path):
    node = shutil.which("node")
    if not node or not (WIDGET / "node_modules" / "esbuild").is_dir():
        skip_or_fail("the fresh-build check needs Node.js and `npm ci` in widget/ (make test)")
    fresh = tmp_path / "dist"
    subprocess.run(
        [node, str(WIDGET / "build.mjs"), "--outdir", str(fresh)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    names = sorted(path.name for path in fresh.iterdir())
    assert names == sorted(path.name for path in DIST_DIR.iterdir()), "run `make widget`"
    for name in names:
        assert (fresh / name).read_bytes() == (DIST_DIR / name).read_bytes(), name


def test_pip_install_ships_the_bundle_and_the_demo_shop(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "build", "*.egg-info"),
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--no-deps", str(source)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (package,) = (venv / "lib").glob("python3*/site-packages/server")
    installed = package / "static" / "widget.js"
    assert not installed.is_symlink()
    assert installed.read_bytes() == DIST.read_bytes()
    for path in lazy_modules():
        assert (package / "static" / "widget" / path.name).read_bytes() == path.read_bytes()
    for name in (
        "demo/static/demo-shop.js",
        "demo/static/demo-shop.css",
        "demo/templates/demo/base.html",
        "dashboard/static/admin.css",
        "dashboard/templates/admin/base.html",
    ):
        assert (package / name).is_file(), name
