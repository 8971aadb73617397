from marshmallow import EXCLUDE, Schema, fields, post_load, validate


class BookmarkSchema(Schema):
    class Meta:
        # As DRF does: a field the client may not set (id, owner) is ignored, not an error.
        unknown = EXCLUDE

    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=100))
    # fields.Url() alone accepts ftp:// and ftps:// too.
    link = fields.Url(required=True, schemes={"http", "https"})
    owner = fields.String(attribute="owner.username", dump_only=True)

    @post_load
    def strip_title(self, data, **kwargs):
        if "title" in data:
            data["title"] = data["title"].strip()
        return data
