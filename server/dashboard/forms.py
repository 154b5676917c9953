"""Define the dashboard's HTML forms (Flask-WTF: rendering and the CSRF token).

Field rules are not repeated here (selects are rendered by the templates and their values
checked by the schema): the settings form is turned into the admin API's payload
and checked by the API's own site schema, so the dashboard and the API accept the same values.
"""

import json
import re

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.csrf.core import CSRFTokenField
from wtforms.validators import DataRequired, StopValidation

from ..sites.settings import DEFAULT_METRIC, DEFAULT_SAMPLING
from .field_errors import NOT_SENT, SENT_TWICE
from .i18n import LANGUAGES

#: Empty rule rows shown under a site's rules, so a rule can be added without JavaScript.
SPARE_RULE_ROWS = 3

#: Phase rules a new site starts with: the paths most shops use, each row editable.
SHOP_RULES = (
    ("/blog*", "awareness"),
    ("/products*", "consideration"),
    ("/cart*", "conversion"),
    ("/checkout*", "conversion"),
    ("/account*", "loyalty"),
    ("/orders*", "loyalty"),
    ("/review*", "advocacy"),
    ("/refer*", "advocacy"),
)

#: Where the settings form's fields land in the admin API's site change, when not at the top.
API_PATHS = {
    name: f"widget.{name}"
    for name in (
        "metric",
        "color",
        "position",
        "label",
        "cooldown_days",
        "questions",
        "triggers",
        "sampling",
    )
}

#: Empty trigger rows shown under a site's triggers, so one can be added without JavaScript.
SPARE_TRIGGER_ROWS = 2


def sent_twice(field) -> bool:
    """Tell whether a one-value field was posted more than once (which value was meant?)."""
    return len(field.raw_data or ()) > 1


def sent_once(form, field) -> None:
    """Refuse a field posted more than once."""
    if sent_twice(field):
        raise StopValidation(gettext(SENT_TWICE))


class SignInForm(FlaskForm):
    """Exchange an admin token for a session."""

    token = PasswordField(validators=[sent_once, DataRequired()])


class PhaseRuleForm(PlainForm):
    """One phase rule row: a path glob and the phase it sets."""

    match = StringField()
    phase = StringField()


class TriggerForm(PlainForm):
    """One proactive prompt row: when (`on`, `value`), where (`paths`), what it asks."""

    on = StringField()
    value = StringField()
    paths = StringField()
    metric = StringField()
    question = StringField()


class QuestionsForm(PlainForm):
    """The widget's question for each metric in one language; empty keeps the widget's own."""

    csat = StringField()
    ces = StringField()
    nps = StringField()
    thumbs = StringField()


#: One set of questions per dashboard language.
LanguageQuestionsForm = type(
    "LanguageQuestionsForm",
    (PlainForm,),
    {language: FormField(QuestionsForm) for language in LANGUAGES},
)


class SettingsForm(FlaskForm):
    """Change a site's settings."""

    name = StringField()
    enabled = BooleanField()
    allowed_origins = TextAreaField()
    keep_query_params = StringField()
    collect_email = BooleanField()
    phase_rules = FieldList(FormField(PhaseRuleForm))
    metric = StringField()
    color = StringField()
    position = StringField()
    label = StringField()
    cooldown_days = StringField()
    questions = FormField(LanguageQuestionsForm)
    triggers = FieldList(FormField(TriggerForm))
    sampling = StringField()


def trigger_row(trigger: dict) -> dict:
    """Return a stored trigger as the form's text row (a per-locale question as JSON)."""
    question = trigger.get("question")
    if isinstance(question, dict):
        question = json.dumps(question, ensure_ascii=False)
    value = trigger.get("value")
    return {
        "on": trigger["on"],
        "value": "" if value is None else str(value),
        "paths": ", ".join(trigger.get("paths") or []),
        "metric": trigger.get("metric") or "",
        "question": question or "",
    }


def trigger_payload(row: dict) -> dict | None:
    """Turn a trigger row into the API's trigger; None for a blank row (left out)."""
    texts = {name: (value or "").strip() for name, value in row.items()}
    if not any(texts.values()):
        return None
    trigger = {"on": texts["on"]}
    if texts["value"]:
        # An event's name stays text even when it is all digits.
        event = texts["on"] == "event"
        trigger["value"] = texts["value"] if event else integer_or_text(texts["value"])
    if texts["paths"]:
        trigger["paths"] = [path for path in re.split(r"[\s,]+", texts["paths"]) if path]
    if texts["metric"]:
        trigger["metric"] = texts["metric"]
    if texts["question"]:
        trigger["question"] = json_or_text(texts["question"])
    return trigger


def json_or_text(text: str):
    """Return the object a `{…}` text holds (a question per locale), else the text itself."""
    if text.startswith("{"):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def number_or_text(value: str | None):
    """Return a number when the text is one, else the text for the schema to refuse."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return value


def settings_form_data(site) -> dict:
    """Return the settings form's values for `site`, with spare rows for new phase rules."""
    widget = site.widget or {}
    questions = widget.get("questions") or {}
    cooldown = widget.get("cooldown_days")
    return {
        "name": site.name,
        "enabled": site.enabled,
        "allowed_origins": "\n".join(site.allowed_origins or []),
        "keep_query_params": ", ".join(site.keep_query_params or []),
        "collect_email": site.collect_email,
        "phase_rules": [*(site.phase_rules or []), *([{}] * SPARE_RULE_ROWS)],
        "metric": widget.get("metric") or DEFAULT_METRIC,
        "color": widget.get("color") or "",
        "position": widget.get("position") or "",
        "label": widget.get("label") or "",
        "cooldown_days": "" if cooldown is None else str(cooldown),
        "questions": {language: questions.get(language, {}) for language in LANGUAGES},
        "triggers": [
            *(trigger_row(trigger) for trigger in widget.get("triggers") or []),
            *([{}] * SPARE_TRIGGER_ROWS),
        ],
        "sampling": str(widget.get("sampling", DEFAULT_SAMPLING)),
    }


def blank_to_none(value: str | None) -> str | None:
    """Return the trimmed text, or None (the API's "reset to default") when it is empty."""
    value = (value or "").strip()
    return value or None


def integer_or_text(value: str | None):
    """Return an integer when the text is one, else the text for the schema to refuse."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return value


def filled_rule_rows(rows) -> list[dict]:
    """Return the `(glob, phase)` rule rows a person filled in, globs trimmed.

    A row with neither a glob nor a phase is a blank form row, left out.
    """
    return [
        {"match": (match or "").strip(), "phase": phase}
        for match, phase in rows
        if (match or "").strip() or phase
    ]


def settings_payload(form: SettingsForm, site) -> dict:
    """Turn the submitted settings form into the admin API's site change."""
    questions = dict((site.widget or {}).get("questions") or {})
    for language, texts in form.questions.data.items():
        kept = {metric: text.strip() for metric, text in texts.items() if text and text.strip()}
        if kept:
            questions[language] = kept
        else:
            questions.pop(language, None)
    return {
        "name": (form.name.data or "").strip(),
        "enabled": form.enabled.data,
        "allowed_origins": origin_lines(form.allowed_origins.data),
        "keep_query_params": [
            name.strip() for name in (form.keep_query_params.data or "").split(",") if name.strip()
        ],
        "collect_email": form.collect_email.data,
        "phase_rules": filled_rule_rows(
            (row["match"], row["phase"]) for row in form.phase_rules.data
        ),
        "widget": {
            "metric": form.metric.data,
            "color": blank_to_none(form.color.data),
            "position": blank_to_none(form.position.data),
            "label": blank_to_none(form.label.data),
            "cooldown_days": integer_or_text(form.cooldown_days.data),
            "questions": questions,
            "triggers": [
                trigger
                for trigger in map(trigger_payload, form.triggers.data)
                if trigger is not None
            ],
            "sampling": number_or_text(form.sampling.data),
        },
    }


def leaf_fields(fields):
    """Yield the fields that hold values, inside lists of rows and nested forms too."""
    for field in fields:
        if isinstance(field, FieldList | FormField):
            yield from leaf_fields(field)
        else:
            yield field


def api_path(field) -> str:
    """Return the admin API's path of a settings form field (`questions-nl-csat` and so on)."""
    head, *rest = field.name.split("-")
    return ".".join([API_PATHS.get(head, head), *rest])


def repeated_fields(form: SettingsForm) -> list[str]:
    """Return the admin API's path of every field the posted form holds more than once."""
    return [api_path(field) for field in leaf_fields(form) if sent_twice(field)]


def unsent_fields(form: SettingsForm) -> list[str]:
    """Return the admin API's path of every text field the posted form lacks.

    A browser posts every text field of the form, empty or not; only an unchecked checkbox
    is left out (and the CSRF token is checked before the view). A text field missing is a
    mangled form, not a blank value: saving it would reset a setting nobody touched. A
    phase-rule row is posted as a pair.
    """
    return [
        api_path(field)
        for field in leaf_fields(form)
        if not field.raw_data and not isinstance(field, BooleanField | CSRFTokenField)
    ]


class NewSiteForm(FlaskForm):
    """Create a site: its name, origins and phase rules."""

    name = StringField()
    allowed_origins = TextAreaField()
    phase_rules = FieldList(FormField(PhaseRuleForm))


def new_site_form_data() -> dict:
    """Return a new site form's starting values: the shop rules and spare rows."""
    rules = [{"match": match, "phase": phase} for match, phase in SHOP_RULES]
    return {"phase_rules": [*rules, *([{}] * SPARE_RULE_ROWS)]}


def new_site_payload(form: NewSiteForm) -> dict:
    """Turn the submitted new site form into the admin API's site creation."""
    return {
        "name": (form.name.data or "").strip(),
        "allowed_origins": origin_lines(form.allowed_origins.data),
        "phase_rules": filled_rule_rows(
            (row["match"], row["phase"]) for row in form.phase_rules.data
        ),
    }


def origin_lines(text: str | None) -> list[str]:
    """Return the non-blank lines of an origins text area, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AllowOriginForm(FlaskForm):
    """Add one refused origin to a site's allowed origins."""

    origin = HiddenField()


class TokenForm(FlaskForm):
    """Create an admin token: a name, an optional site, read-only or not."""

    name = StringField()
    site = StringField()
    read_only = BooleanField()


class ConfirmForm(FlaskForm):
    """Confirm an action that has nothing to fill in (the CSRF token only)."""


def posted_problems(form) -> dict[str, list[str]]:
    """Return the errors of a mangled post: text fields missing or fields sent twice."""
    errors = {path: [gettext(NOT_SENT)] for path in unsent_fields(form)}
    return errors | {path: [gettext(SENT_TWICE)] for path in repeated_fields(form)}
