"""What a post looks like in JSON, and what a client may send: marshmallow schemas."""

from flask import url_for
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate


def not_blank(value):
    if not value.strip():
        raise ValidationError("This field may not be blank.")


class PostSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # keys the schema does not read (author, id...) are dropped, not refused

    id = fields.Integer(dump_only=True)
    url = fields.Function(lambda post: url_for("api.post_detail", post_id=post.id, _external=True))
    title = fields.String(required=True, validate=[validate.Length(max=200), not_blank])
    body = fields.String(required=True, validate=not_blank)
    author = fields.Function(lambda post: post.author.username)
    published = fields.DateTime(dump_only=True, format="iso")
