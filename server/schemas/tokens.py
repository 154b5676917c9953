"""Define an admin token as the dashboard creates it."""

from marshmallow import Schema, ValidationError, post_load

from ..sites.manage import find_site
from .fields import NormalString, StrictBoolean, Text


class TokenCreateSchema(Schema):
    """A new admin token: `name`, optionally the key of the one `site` it may see, `read_only`."""

    name = Text(200, required=True)
    site = NormalString(load_default=None, allow_none=True)
    read_only = StrictBoolean(load_default=False)

    @post_load
    def find_the_site(self, data, **kwargs):
        """Swap the site key for its site; refuse a key no site has."""
        if data["site"] is not None:
            data["site"] = find_site(data["site"])
            if data["site"] is None:
                raise ValidationError("No such site.", "site")
        return data
