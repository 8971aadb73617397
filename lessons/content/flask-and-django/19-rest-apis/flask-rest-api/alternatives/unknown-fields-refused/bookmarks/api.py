from flask import Blueprint, abort, request, url_for
from flask.views import MethodView
from flask_httpauth import HTTPTokenAuth
from marshmallow import ValidationError
from sqlalchemy import select

from .extensions import db
from .models import Bookmark, User
from .schemas import BookmarkSchema

bp = Blueprint("api", __name__, url_prefix="/api")
auth = HTTPTokenAuth(scheme="Token")
schema = BookmarkSchema()


@auth.error_handler
def auth_error(status):
    return {"detail": "Authentication credentials were not provided or are not valid."}, status


@auth.verify_token
def verify_token(token):
    return db.session.scalar(select(User).where(User.token == token)) if token else None


def link_to(number):
    # As DRF does, the first page is the list's own URL, without ?page=1.
    if number == 1:
        return url_for("api.bookmark_list", _external=True)
    return url_for("api.bookmark_list", page=number, _external=True)


def get_bookmark(bookmark_id):
    bookmark = db.session.get(Bookmark, bookmark_id)
    if bookmark is None:
        abort(404, description="Not found.")
    return bookmark


class BookmarkList(MethodView):
    def get(self):
        page = db.paginate(select(Bookmark).order_by(Bookmark.id), per_page=5, max_per_page=5)
        return {
            "count": page.total,
            "next": link_to(page.next_num) if page.has_next else None,
            "previous": link_to(page.prev_num) if page.has_prev else None,
            "results": [schema.dump(bookmark) for bookmark in page],
        }

    @auth.login_required
    def post(self):
        try:
            data = schema.load(request.get_json(silent=True) or {})
        except ValidationError as error:
            return error.messages, 400
        bookmark = Bookmark(title=data["title"], link=data["link"], owner=auth.current_user())
        db.session.add(bookmark)
        db.session.commit()
        return schema.dump(bookmark), 201, {"Location": url_for("api.bookmark_detail", bookmark_id=bookmark.id)}


class BookmarkDetail(MethodView):
    def get(self, bookmark_id):
        return schema.dump(get_bookmark(bookmark_id))

    @auth.login_required
    def patch(self, bookmark_id):
        bookmark = get_bookmark(bookmark_id)
        if bookmark.owner != auth.current_user():
            abort(403, description="You do not have permission to perform this action.")
        try:
            data = schema.load(request.get_json(silent=True) or {}, partial=True)
        except ValidationError as error:
            return error.messages, 400
        for name, value in data.items():
            setattr(bookmark, name, value)
        db.session.commit()
        return schema.dump(bookmark)

    @auth.login_required
    def delete(self, bookmark_id):
        bookmark = get_bookmark(bookmark_id)
        if bookmark.owner != auth.current_user():
            abort(403, description="You do not have permission to perform this action.")
        db.session.delete(bookmark)
        db.session.commit()
        return "", 204


bp.add_url_rule("/bookmarks/", view_func=BookmarkList.as_view("bookmark_list"))
bp.add_url_rule("/bookmarks/<int:bookmark_id>/", view_func=BookmarkDetail.as_view("bookmark_detail"))
