from flask import Blueprint, render_template

bp = Blueprint("posts", __name__)


@bp.get("/")
def index():
    # TODO: every post, newest first by its publication date.
    posts = []
    return render_template("posts/index.html", posts=posts)


@bp.get("/posts/<int:post_id>/")
def detail(post_id):
    # TODO: the post whose id is post_id, or 404 Not Found.
    post = None
    return render_template("posts/detail.html", post=post)
