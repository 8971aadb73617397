"""The blog's JSON API, under /api/, as plain route functions."""

from flask import Blueprint, abort, request, url_for
from flask_httpauth import HTTPTokenAuth
from marshmallow import ValidationError
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from .extensions import db
from .models import Post, User
from .schemas import PostSchema

bp = Blueprint("api", __name__, url_prefix="/api")
auth = HTTPTokenAuth(scheme="Token")
PAGE_SIZE = 5
schema = PostSchema()


@bp.errorhandler(HTTPException)
def json_error(error):
    return {"detail": error.description}, error.code


@auth.error_handler
def auth_error(status):
    return {"detail": "Authentication credentials were not provided."}, status


@auth.verify_token
def verify_token(token):
    return db.session.scalar(select(User).where(User.api_token == token))


def _page_number():
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(404, description="Invalid page.")
    return int(raw)


def _link(number, pages):
    if 1 <= number <= pages:
        return url_for("api.post_list", page=number, _external=True)
    return None


@bp.get("/posts/")
def post_list():
    number = _page_number()
    total = db.session.scalar(select(func.count(Post.id)))
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    if number > pages:
        abort(404, description="Invalid page.")
    query = select(Post).order_by(Post.published.desc(), Post.id.desc())
    posts = db.session.scalars(query.limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()
    return {
        "count": total,
        "next": _link(number + 1, pages),
        "previous": _link(number - 1, pages),
        "results": schema.dump(posts, many=True),
    }


@bp.post("/posts/")
@auth.login_required
def post_create():
    try:
        data = schema.load(request.get_json(silent=True) or {})
    except ValidationError as error:
        return error.messages, 400
    post = Post(title=data["title"], body=data["body"], author=auth.current_user())
    db.session.add(post)
    db.session.commit()
    return schema.dump(post), 201, {"Location": url_for("api.post_detail", post_id=post.id)}


@bp.get("/posts/<int:post_id>/")
def post_detail(post_id):
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404, description="Not found.")
    return schema.dump(post)


def _writable(post_id):
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404, description="Not found.")
    if post.author != auth.current_user():
        abort(403, description="You do not have permission to perform this action.")
    return post


@bp.route("/posts/<int:post_id>/", methods=["PUT", "PATCH"])
@auth.login_required
def post_update(post_id):
    post = _writable(post_id)
    try:
        data = schema.load(request.get_json(silent=True) or {}, partial=request.method == "PATCH")
    except ValidationError as error:
        return error.messages, 400
    post.title = data.get("title", post.title)
    post.body = data.get("body", post.body)
    db.session.commit()
    return schema.dump(post)


@bp.delete("/posts/<int:post_id>/")
@auth.login_required
def post_delete(post_id):
    db.session.delete(_writable(post_id))
    db.session.commit()
    return "", 204
