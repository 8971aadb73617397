from marshmallow import Schema, fields, validate  # noqa: F401


class BookmarkSchema(Schema):
    # TODO: id and owner (the owner's username) only ever dumped, never loaded; a
    # title of 1 to 100 characters once stripped; a link that is an http:// or
    # https:// URL.
    id = fields.Integer(dump_only=True)
