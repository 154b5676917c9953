"""`touchpoint themes retag`: re-tag stored comments in committed batches and say what changed."""

import json

from sqlalchemy import text

from server.extensions import db
from server.insight.retag import retag_batches
from server.insight.themes import THEME_BITS, THEMES, comment_mask
from server.models import Response

#: (comment, the mask an older tagger stored): the current tagger disagrees on three.
STORED = [
    ("De app is zo sloom", 0),  # speed added
    ("Lovely shop", THEME_BITS["returns"]),  # returns removed
    ("Third time I'm calling about this", 0),  # unresolved added
    ("On hold for 40 minutes", THEME_BITS["waiting"]),  # unchanged
    (None, 0),  # no comment: not read
]


def store(site, make_response):
    """Store STORED for `site` and return the responses."""
    return [make_response(site, comment=comment, themes=mask) for comment, mask in STORED]


def masks(responses) -> list[int]:
    """Return the stored masks of `responses`, read afresh."""
    db.session.expire_all()
    return [db.session.get(Response, response.id).themes for response in responses]


def test_retag_stores_what_the_tagger_finds_and_says_what_changed(runner, site, make_response):
    responses = store(site, make_response)
    result = runner.invoke(args=["themes", "retag"])
    assert result.exit_code == 0, result.output
    assert masks(responses) == [comment_mask(comment) for comment, _ in STORED]
    assert "Re-tagged 4 comments; 3 changed their themes." in result.output
    assert "speed: +1 -0" in result.output
    assert "returns: +0 -1" in result.output
    assert "unresolved: +1 -0" in result.output
    assert "waiting" not in result.output.split("themes.", 1)[1]


def test_retag_json_prints_one_object_with_counts_per_theme(runner, site, make_response):
    store(site, make_response)
    result = runner.invoke(args=["themes", "retag", "--json", "--site", site.key])
    assert result.exit_code == 0, result.output
    # The progress bar writes to standard error; standard output is the one object.
    document = json.loads(result.stdout)
    assert document == {
        "site": site.key,
        "examined": 4,
        "changed": 3,
        "added": {**dict.fromkeys(THEMES, 0), "speed": 1, "unresolved": 1},
        "removed": {**dict.fromkeys(THEMES, 0), "returns": 1},
    }
    again = json.loads(runner.invoke(args=["themes", "retag", "--json"]).stdout)
    assert (again["examined"], again["changed"]) == (4, 0)


def test_retag_of_one_site_leaves_the_others_alone(runner, make_site, make_response):
    mine, other = make_site(name="Mine"), make_site(name="Other")
    stale = make_response(other, comment="De app is zo sloom", themes=0)
    store(mine, make_response)
    result = runner.invoke(args=["themes", "retag", "--site", mine.key, "--json"])
    assert json.loads(result.stdout)["examined"] == 4
    assert masks([stale]) == [0]


def test_retag_of_an_unknown_site_fails_cleanly(runner):
    result = runner.invoke(args=["themes", "retag", "--site", "pk_nope"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "pk_nope" in result.output


def test_each_batch_is_committed_before_the_next_is_read(app, site, make_response):
    responses = store(site, make_response)
    batches = retag_batches(site, batch_rows=1)
    examined, changes = next(batches)
    assert (examined, [change["row_id"] for change in changes]) == (1, [responses[0].id])
    # Committed: rolling back what is open now does not undo it.
    db.session.rollback()
    stored = db.session.scalar(
        text("SELECT themes FROM responses WHERE id = :id"), {"id": responses[0].id}
    )
    assert stored == THEME_BITS["speed"]
    assert sum(examined for examined, _ in batches) == 3


def test_retag_leaves_the_visitors_reasons_alone(runner, site, make_response):
    reasons = THEME_BITS["returns"] | THEME_BITS["waiting"]
    response = make_response(site, comment="De app is zo sloom", themes=0, reasons=reasons)
    result = runner.invoke(args=["themes", "retag"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    stored = db.session.get(Response, response.id)
    assert (stored.themes, stored.reasons) == (THEME_BITS["speed"], reasons)
