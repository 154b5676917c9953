"""Proactive prompts set in the dashboard's settings, checked by the admin API's site schema."""

import pytest
from dashboard_session import settings_form

from server.extensions import db
from server.models import Site


def stored_widget(site) -> dict:
    """Return the site's widget settings, read afresh."""
    db.session.expire_all()
    return db.session.get(Site, site.id).widget


def trigger_fields(index: int, **row) -> dict:
    """Return one trigger row's form fields (every field sent, blank unless given)."""
    names = ("on", "value", "paths", "metric", "question")
    return {f"triggers-{index}-{name}": row.get(name, "") for name in names}


def test_triggers_and_sampling_are_saved_as_the_api_stores_them(signed_in, site):
    form = settings_form(
        signed_in,
        site,
        sampling="0.25",
        **trigger_fields(0, on="time_on_page", value="30", paths="/checkout*, /cart"),
        **trigger_fields(1, on="event", value="404", metric="thumbs", question="Found it?"),
        **trigger_fields(2, on="exit_intent", question='{"nl": "Waarom weg?", "en": "Why go?"}'),
        **trigger_fields(3),
    )
    response = signed_in.post(f"/admin/sites/{site.key}/settings", data=form)
    assert response.status_code == 302, response.text[:3000]
    widget = stored_widget(site)
    assert widget["sampling"] == 0.25
    assert widget["triggers"] == [
        {"on": "time_on_page", "value": 30, "paths": ["/checkout*", "/cart"]},
        {
            "on": "event",
            "value": "404",
            "paths": ["*"],
            "metric": "thumbs",
            "question": "Found it?",
        },
        {
            "on": "exit_intent",
            "value": None,
            "paths": ["*"],
            "question": {"nl": "Waarom weg?", "en": "Why go?"},
        },
    ]
    page = signed_in.get(f"/admin/sites/{site.key}/settings").text
    assert 'value="/checkout*, /cart"' in page
    assert "Waarom weg?" in page


@pytest.mark.parametrize(
    ("row", "sampling", "path", "message"),
    [
        ({"on": "time_on_page", "value": "soon"}, "1", "widget.triggers.0.value", "Not a valid"),
        ({"on": "time_on_page"}, "1", "widget.triggers.0.value", "needs a value"),
        ({"on": "exit_intent", "value": "3"}, "1", "widget.triggers.0.value", "takes no value"),
        ({"on": "hover"}, "1", "widget.triggers.0.on", "Must be one of"),
        (
            {"on": "event", "value": "x", "paths": "checkout"},
            "1",
            "widget.triggers.0.paths",
            "glob",
        ),
        ({}, "2", "widget.sampling", "between 0 and 1"),
        ({}, "half", "widget.sampling", "Not a valid"),
    ],
)
def test_a_bad_trigger_is_shown_beside_its_field_and_nothing_is_saved(
    signed_in, site, row, sampling, path, message
):
    before = stored_widget(site)
    form = settings_form(signed_in, site, sampling=sampling, **trigger_fields(0, **row))
    response = signed_in.post(f"/admin/sites/{site.key}/settings", data=form)
    assert response.status_code == 422
    assert (
        f'id="error-{path}' in response.text
        or f'id="error-{path.rsplit(".", 1)[0]}' in response.text
    )
    assert message in response.text
    assert stored_widget(site) == before
