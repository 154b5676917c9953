"""Proactive prompts in a site's widget settings: triggers and sampling, checked and served."""

import pytest

SITES = "/api/v1/admin/sites"
ORIGIN = "https://shop.example"


def new_site(**widget) -> dict:
    """Return a valid creation payload with widget settings `widget`."""
    return {"name": "Shop", "allowed_origins": [ORIGIN], "widget": widget}


TRIGGERS = [
    {"on": "exit_intent", "paths": ["/checkout*"], "metric": "ces"},
    {"on": "time_on_page", "value": 45, "question": "Finding what you need?"},
    {"on": "scroll_depth", "value": 80, "paths": ["/blog/*", "/help"], "metric": "thumbs"},
    {
        "on": "event",
        "value": "order:placed",
        "metric": "nps",
        "question": {"en": "Would you recommend us?", "nl-BE": "Zou je ons aanraden?"},
    },
]


def test_triggers_and_sampling_round_trip_with_defaults(client, admin_headers):
    created = client.post(
        SITES, json=new_site(triggers=TRIGGERS, sampling=0.25), headers=admin_headers
    )
    assert created.status_code == 201, created.get_json()
    widget = created.get_json()["widget"]
    assert widget["sampling"] == 0.25
    assert widget["triggers"] == [
        {"on": "exit_intent", "value": None, "paths": ["/checkout*"], "metric": "ces"},
        {"on": "time_on_page", "value": 45, "paths": ["*"], "question": "Finding what you need?"},
        {**TRIGGERS[2]},
        {**TRIGGERS[3], "paths": ["*"]},
    ]
    key = created.get_json()["key"]
    assert client.get(f"{SITES}/{key}", headers=admin_headers).get_json()["widget"] == widget


def test_a_site_without_triggers_prompts_nobody(client, admin_headers):
    widget = client.post(SITES, json=new_site(), headers=admin_headers).get_json()["widget"]
    assert (widget["triggers"], widget["sampling"]) == ([], 1.0)


def test_config_carries_triggers_and_sampling(client, admin_headers):
    key = client.post(
        SITES, json=new_site(triggers=TRIGGERS[1:2], sampling=0.5), headers=admin_headers
    ).get_json()["key"]
    config = client.get(f"/api/v1/sites/{key}/config", headers={"Origin": ORIGIN}).get_json()
    assert config["widget"]["triggers"] == [{**TRIGGERS[1], "paths": ["*"]}]
    assert config["widget"]["sampling"] == 0.5


def test_change_replaces_triggers_and_null_resets_them(client, admin_headers):
    key = client.post(
        SITES, json=new_site(triggers=TRIGGERS, sampling=0.1), headers=admin_headers
    ).get_json()["key"]
    one = [{"on": "scroll_depth", "value": 50}]
    changed = client.patch(
        f"{SITES}/{key}", json={"widget": {"triggers": one}}, headers=admin_headers
    )
    assert changed.status_code == 200, changed.get_json()
    widget = changed.get_json()["widget"]
    assert widget["triggers"] == [{"on": "scroll_depth", "value": 50, "paths": ["*"]}]
    assert widget["sampling"] == 0.1
    reset = {"widget": {"triggers": None, "sampling": None}}
    widget = client.patch(f"{SITES}/{key}", json=reset, headers=admin_headers).get_json()["widget"]
    assert (widget["triggers"], widget["sampling"]) == ([], 1.0)


def trigger(**fields) -> dict:
    """Return widget settings holding one time_on_page trigger with `fields` changed."""
    return {"triggers": [{"on": "time_on_page", "value": 30, **fields}]}


@pytest.mark.parametrize(
    ("widget", "field"),
    [
        ({"triggers": {"on": "exit_intent"}}, "widget.triggers"),
        ({"triggers": [{"on": "exit_intent"}] * 11}, "widget.triggers"),
        ({"triggers": ["exit_intent"]}, "widget.triggers.0"),
        (trigger(on="hover"), "widget.triggers.0.on"),
        ({"triggers": [{"value": 3}]}, "widget.triggers.0.on"),
        (trigger(on="exit_intent"), "widget.triggers.0.value"),
        (trigger(value=None), "widget.triggers.0.value"),
        (trigger(value=0), "widget.triggers.0.value"),
        (trigger(value=3601), "widget.triggers.0.value"),
        (trigger(value="30"), "widget.triggers.0.value"),
        (trigger(value=True), "widget.triggers.0.value"),
        (trigger(value=2.5), "widget.triggers.0.value"),
        (trigger(on="scroll_depth", value=101), "widget.triggers.0.value"),
        (trigger(on="scroll_depth", value=0), "widget.triggers.0.value"),
        (trigger(on="event", value=""), "widget.triggers.0.value"),
        (trigger(on="event", value="a b"), "widget.triggers.0.value"),
        (trigger(on="event", value="x" * 65), "widget.triggers.0.value"),
        (trigger(on="event", value=7), "widget.triggers.0.value"),
        (trigger(paths=[]), "widget.triggers.0.paths"),
        (trigger(paths="/checkout"), "widget.triggers.0.paths"),
        (trigger(paths=["checkout"]), "widget.triggers.0.paths.0"),
        (trigger(paths=["/" + "a" * 500]), "widget.triggers.0.paths.0"),
        (trigger(paths=["/a\x00"]), "widget.triggers.0.paths.0"),
        (trigger(paths=[f"/p{i}" for i in range(21)]), "widget.triggers.0.paths"),
        (trigger(metric="stars"), "widget.triggers.0.metric"),
        (trigger(question=""), "widget.triggers.0.question"),
        (trigger(question="x" * 301), "widget.triggers.0.question"),
        (trigger(question=5), "widget.triggers.0.question"),
        (trigger(question={}), "widget.triggers.0.question"),
        (trigger(question={"english!": "?"}), "widget.triggers.0.question"),
        (trigger(question={"en": "x" * 301}), "widget.triggers.0.question"),
        (trigger(delay=3), "widget.triggers.0.delay"),
        ({"sampling": 1.5}, "widget.sampling"),
        ({"sampling": -0.1}, "widget.sampling"),
        ({"sampling": "0.5"}, "widget.sampling"),
        ({"sampling": True}, "widget.sampling"),
    ],
)
def test_bad_triggers_are_refused_naming_the_field(client, admin_headers, widget, field):
    response = client.post(SITES, json=new_site(**widget), headers=admin_headers)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert any(name == field or name.startswith(field + ".") for name in errors), errors


def test_a_bad_trigger_in_a_change_is_refused(client, admin_headers, site):
    payload = {"widget": trigger(value=0)}
    response = client.patch(f"{SITES}/{site.key}", json=payload, headers=admin_headers)
    assert response.status_code == 422
    assert "widget.triggers.0.value" in response.get_json()["errors"]
