"""Define the dashboard's HTML forms (Flask-WTF: rendering and the CSRF token).

Field rules are not repeated here (selects are rendered by the templates and their values
checked by the schema): a submitted form is turned into the admin API's payload (the
settings form in `settings_form.py`) and checked by the API's own site schema, so the
dashboard and the API accept the same values.
"""

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

from .field_errors import NOT_SENT, SENT_TWICE

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


def filled_rule_rows(rows) -> list[dict]:
    """Return the `(glob, phase)` rule rows a person filled in, globs trimmed.

    A row with neither a glob nor a phase is a blank form row, left out.
    """
    return [
        {"match": (match or "").strip(), "phase": phase}
        for match, phase in rows
        if (match or "").strip() or phase
    ]


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


def repeated_fields(form: FlaskForm) -> list[str]:
    """Return the admin API's path of every field the posted form holds more than once."""
    return [api_path(field) for field in leaf_fields(form) if sent_twice(field)]


def unsent_fields(form: FlaskForm) -> list[str]:
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
