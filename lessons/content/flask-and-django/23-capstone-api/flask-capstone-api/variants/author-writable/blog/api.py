"""The blog's JSON API, under /api/ (create_app() registers the blueprint)."""

from flask import Blueprint, abort, request, url_for
from flask.views import MethodView
from flask_httpauth import HTTPTokenAuth
from marshmallow import ValidationError
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from .extensions import db
from .models import Post, User
from .schemas import PostSchema

bp = Blueprint("api", __name__, url_prefix="/api")
auth = HTTPTokenAuth(scheme="Token")  # reads "Authorization: Token <key>"
PAGE_SIZE = 5
post_schema = PostSchema()


@bp.errorhandler(HTTPException)
def json_error(error):
    """abort(404), abort(403) and the like, answered in JSON inside the API."""
    return {"detail": error.description}, error.code


@auth.error_handler
def auth_error(status):
    # Flask-HTTPAuth adds the WWW-Authenticate: Token header to this answer itself.
    return {"detail": "Send a valid token: Authorization: Token <key>."}, status


@auth.verify_token
def verify_token(token):
    """The user whose token this is, or None (which makes the answer 401)."""
    return db.session.scalar(select(User).filter_by(api_token=token))


def _own_post(post_id):
    """The post, if the token's user wrote it: 404 for an unknown id, 403 for another's."""
    post = db.get_or_404(Post, post_id, description="No post with this id.")
    if post.author_id != auth.current_user().id:
        abort(403, description="Only the author may change this post.")
    return post


class PostListAPI(MethodView):
    def get(self):
        # Newest first; the id breaks a tie between two posts of the same second.
        query = select(Post).order_by(Post.published.desc(), Post.id.desc())
        # ?page= from the URL; error_out answers 404 past the end and for a page that is no number.
        page = db.paginate(query, per_page=PAGE_SIZE, max_per_page=PAGE_SIZE)
        return {
            "count": page.total,
            "next": url_for(".posts", page=page.next_num, _external=True) if page.has_next else None,
            "previous": url_for(".posts", page=page.prev_num, _external=True) if page.has_prev else None,
            "results": post_schema.dump(page.items, many=True),
        }

    @auth.login_required
    def post(self):
        try:
            data = post_schema.load(request.get_json())
        except ValidationError as error:
            return error.messages, 400
        user = auth.current_user()
        author = data.pop("author", None)  # {"username": ...} when the client names one
        if author:
            user = db.session.scalar(select(User).filter_by(username=author["username"]))
        post = Post(**data, author=user)
        db.session.add(post)
        db.session.commit()
        return post_schema.dump(post), 201


class PostAPI(MethodView):
    def get(self, post_id):
        return post_schema.dump(db.get_or_404(Post, post_id, description="No post with this id."))

    @auth.login_required
    def put(self, post_id):
        return self._update(post_id, partial=False)

    @auth.login_required
    def patch(self, post_id):
        return self._update(post_id, partial=True)

    @auth.login_required
    def delete(self, post_id):
        post = _own_post(post_id)
        db.session.delete(post)
        db.session.commit()
        return "", 204

    def _update(self, post_id, partial):
        post = _own_post(post_id)  # before the body is read: a forbidden PATCH changes nothing
        try:
            data = post_schema.load(request.get_json(), partial=partial)
        except ValidationError as error:
            return error.messages, 400
        author = data.pop("author", None)
        if author:
            post.author = db.session.scalar(select(User).filter_by(username=author["username"]))
        for name, value in data.items():
            setattr(post, name, value)
        db.session.commit()
        return post_schema.dump(post)


bp.add_url_rule("/posts/", view_func=PostListAPI.as_view("posts"))
bp.add_url_rule("/posts/<int:post_id>/", view_func=PostAPI.as_view("post"))
