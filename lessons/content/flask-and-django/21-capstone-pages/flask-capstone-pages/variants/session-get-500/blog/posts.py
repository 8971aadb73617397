from flask import Blueprint, render_template
from sqlalchemy import select

from .extensions import db
from .models import Post

bp = Blueprint("posts", __name__)


@bp.get("/")
def index():
    posts = db.session.scalars(select(Post).order_by(Post.published.desc())).all()
    return render_template("posts/index.html", posts=posts)


@bp.get("/posts/<int:post_id>/")
def detail(post_id):
    post = db.session.get(Post, post_id)
    return render_template("posts/detail.html", post=post)
