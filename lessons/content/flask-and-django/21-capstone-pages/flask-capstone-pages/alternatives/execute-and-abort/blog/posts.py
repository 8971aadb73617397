from flask import Blueprint, abort, render_template
from sqlalchemy import desc, select

from .extensions import db
from .models import Post

bp = Blueprint("posts", __name__)


@bp.route("/")
def index():
    posts = db.session.execute(select(Post).order_by(desc(Post.published))).scalars()
    return render_template("posts/index.html", posts=posts)


@bp.route("/posts/<int:post_id>/")
def detail(post_id):
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    return render_template("posts/detail.html", post=post)
