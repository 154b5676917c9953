"""The dashboard's gettext catalogs: current, complete, well-formed and compiled as committed."""

from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.checkers import num_plurals, python_format
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from server.dashboard.i18n import CATALOGS, LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = sorted(set(LANGUAGES) - {"en"})
REBUILD = "run `make translations` and commit the catalogs"


def catalog(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def message_ids(messages) -> set:
    return {message.id for message in messages if message.id}


def test_the_template_holds_every_text_the_code_marks():
    with (CATALOGS / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "_l": None}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords
    ):
        found.add(message)
    assert found == message_ids(catalog(CATALOGS / "messages.pot")), REBUILD


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_is_translated_without_fuzzy_entries(language):
    texts = catalog(CATALOGS / language / "LC_MESSAGES" / "messages.po")
    assert message_ids(texts) == message_ids(catalog(CATALOGS / "messages.pot")), REBUILD
    for message in texts:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(forms), f"{language}: {message.id!r} is not translated"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_and_plural_forms_match_the_english(language):
    texts = catalog(CATALOGS / language / "LC_MESSAGES" / "messages.po")
    for message in texts:
        if message.id:
            python_format(texts, message)  # raises TranslationError on a mismatch
            num_plurals(texts, message)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_mo_file_is_the_compiled_po_file(language):
    folder = CATALOGS / language / "LC_MESSAGES"
    compiled = BytesIO()
    write_mo(compiled, catalog(folder / "messages.po"))
    assert (folder / "messages.mo").read_bytes() == compiled.getvalue(), REBUILD
