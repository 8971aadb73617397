from flask import Blueprint, abort, request, url_for
from flask.views import MethodView
from flask_httpauth import HTTPTokenAuth
from marshmallow import ValidationError
from sqlalchemy import select

from .extensions import db
from .models import Bookmark, User
from .schemas import BookmarkSchema

bp = Blueprint("api", __name__, url_prefix="/api")

# Reads "Authorization: Token <key>"; a 401 carries "WWW-Authenticate: Token ...".
auth = HTTPTokenAuth(scheme="Token")

PAGE_SIZE = 5
schema = BookmarkSchema()


@auth.error_handler
def auth_error(status):
    return {"detail": "Authentication credentials were not provided or are not valid."}, status


@auth.verify_token
def verify_token(token):
    if not token:
        return None
    return db.session.scalar(select(User).where(User.token == token))


def page_url(number):
    return url_for("api.bookmarks", page=number, _external=True)


def owned_bookmark(bookmark_id):
    """The bookmark, if the token's user owns it: 404 if there is none, 403 if not theirs."""
    bookmark = db.get_or_404(Bookmark, bookmark_id, description="No bookmark with this id.")
    if bookmark.owner_id != auth.current_user().id:
        abort(403, description="Only the owner of a bookmark may change or delete it.")
    return bookmark


def load(partial=False):
    """The request's JSON, validated; a ValidationError for a 400."""
    return schema.load(request.get_json(silent=True) or {}, partial=partial)


class BookmarkList(MethodView):
    def get(self):
        # per_page given, so ?per_page= cannot change it; error_out (the default)
        # answers 404 for ?page=0, ?page=abc and a page past the end.
        page = db.paginate(select(Bookmark).order_by(Bookmark.id), per_page=PAGE_SIZE)
        return {
            "count": page.total,
            "next": page_url(page.next_num) if page.has_next else None,
            "previous": page_url(page.prev_num) if page.has_prev else None,
            "results": schema.dump(page.items, many=True),
        }

    @auth.login_required
    def post(self):
        try:
            data = load()
        except ValidationError as error:
            return error.messages, 400
        bookmark = Bookmark(**data, owner=auth.current_user())
        db.session.add(bookmark)
        db.session.commit()
        return schema.dump(bookmark), 201


class BookmarkDetail(MethodView):
    def get(self, bookmark_id):
        return schema.dump(db.get_or_404(Bookmark, bookmark_id, description="No bookmark with this id."))

    @auth.login_required
    def patch(self, bookmark_id):
        bookmark = db.get_or_404(Bookmark, bookmark_id, description="No bookmark with this id.")
        try:
            data = load(partial=True)
        except ValidationError as error:
            return error.messages, 400
        for name, value in data.items():
            setattr(bookmark, name, value)
        db.session.commit()
        return schema.dump(bookmark)

    @auth.login_required
    def delete(self, bookmark_id):
        db.session.delete(owned_bookmark(bookmark_id))
        db.session.commit()
        return "", 204


bp.add_url_rule("/bookmarks/", view_func=BookmarkList.as_view("bookmarks"))
bp.add_url_rule("/bookmarks/<int:bookmark_id>/", view_func=BookmarkDetail.as_view("bookmark"))
