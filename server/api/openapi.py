"""Teach the OpenAPI generator the rules apispec does not read from our schemas by itself."""

from marshmallow import fields

from ..schemas.fields import Entries


def dict_keys2properties(self, field, **kwargs) -> dict:
    """Document an object field's key rules (`propertyNames`) and size (`maxProperties`)."""
    if not isinstance(field, fields.Dict):
        return {}
    properties = {}
    if field.key_field is not None:
        properties["propertyNames"] = self.field2property(field.key_field)
    limits = [validator.maximum for validator in field.validators if isinstance(validator, Entries)]
    if limits:
        properties["maxProperties"] = min(limits)
    return properties


def describe_schema_rules(api) -> None:
    """Add the attribute functions above to the app's OpenAPI converter."""
    api.ma_plugin.converter.add_attribute_function(dict_keys2properties)


def describe_rules_between_fields(api) -> None:
    """Add each registered schema's `OPENAPI_RULES` (rules that tie fields together, which
    apispec cannot read from the fields) to its component in the document."""
    for key, name in api.ma_plugin.converter.refs.items():
        rules = getattr(key[0], "OPENAPI_RULES", None)
        if rules:
            api.spec.components.schemas[name].update(rules)
