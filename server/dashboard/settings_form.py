"""Fill the settings form from a site and turn the submitted form into the admin API's change.

The form's text rows (phase rules, proactive prompts, questions per language) are read back
as the API's values, unchecked: the API's own site schema checks them.
"""

import json
import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, FormField, StringField, TextAreaField
from wtforms import Form as PlainForm

from ..sites.settings import DEFAULT_METRIC, DEFAULT_SAMPLING
from .forms import SPARE_RULE_ROWS, PhaseRuleForm, filled_rule_rows, origin_lines
from .i18n import LANGUAGES

#: Empty trigger rows shown under a site's triggers, so one can be added without JavaScript.
SPARE_TRIGGER_ROWS = 2


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
