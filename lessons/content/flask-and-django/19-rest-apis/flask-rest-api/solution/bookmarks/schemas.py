from marshmallow import EXCLUDE, Schema, fields, pre_load, validate


class BookmarkSchema(Schema):
    class Meta:
        # As DRF does: a field the client may not set (id, owner) is ignored, not an error.
        unknown = EXCLUDE

    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=100))
    # fields.Url() alone accepts ftp:// and ftps:// too.
    link = fields.Url(required=True, schemes={"http", "https"})
    owner = fields.String(attribute="owner.username", dump_only=True)

    @pre_load
    def strip_title(self, data, **kwargs):
        # Before validation, so that Length counts what is stored and "   " is empty.
        if isinstance(data, dict) and isinstance(data.get("title"), str):
            data = {**data, "title": data["title"].strip()}
        return data
