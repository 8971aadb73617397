"""What a post looks like in JSON, and what a client may send: marshmallow schemas."""

from marshmallow import Schema, ValidationError, fields, validate  # noqa: F401 (for PostSchema)

# TODO: PostSchema, with
#   id, author (the author's username, as a string) and published: shown, never read
#     from the client (dump_only=True; fields.String(attribute="author.username") reads
#     post.author.username);
#   title: required, not blank (not only spaces), at most 200 characters;
#   body: required, not blank.
