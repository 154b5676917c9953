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
