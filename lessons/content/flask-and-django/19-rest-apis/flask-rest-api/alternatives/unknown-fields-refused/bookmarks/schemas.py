from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, validate


class StrippedString(fields.String):
    """A string without the spaces around it, stripped before the validators run."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def web_link(value):
    if urlsplit(value).scheme not in ("http", "https"):
        raise ValidationError("Only http:// and https:// links.")


class BookmarkSchema(Schema):
    # unknown stays RAISE: {"owner": "bob"} is answered 400 {"owner": ["Unknown field."]}.
    id = fields.Integer(dump_only=True)
    title = StrippedString(required=True, validate=validate.Length(min=1, max=100))
    link = fields.Url(required=True, validate=web_link)
    owner = fields.Function(lambda bookmark: bookmark.owner.username, dump_only=True)
