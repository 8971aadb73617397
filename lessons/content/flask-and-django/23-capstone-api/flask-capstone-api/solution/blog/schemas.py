"""What a post looks like in JSON, and what a client may send: marshmallow schemas."""

from marshmallow import Schema, ValidationError, fields, validate


def not_blank(value):
    # Length(min=1) lets "   " through; the HTML form (DataRequired) does not.
    if not value.strip():
        raise ValidationError("This field may not be blank.")


class PostSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=[not_blank, validate.Length(max=200)])
    body = fields.String(required=True, validate=not_blank)
    # dump_only: shown to clients, never read from them (the token says who the author is).
    author = fields.String(attribute="author.username", dump_only=True)
    published = fields.DateTime(dump_only=True)
