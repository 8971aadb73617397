from flask import Blueprint, abort, redirect, render_template, url_for  # noqa: F401 (for your views)
from flask_login import current_user, login_required  # noqa: F401 (for your views)
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
    post = db.get_or_404(Post, post_id)
    return render_template("posts/detail.html", post=post)


@bp.route("/posts/new/", methods=["GET", "POST"])
def create():
    # TODO: signed-in users only. Show a PostForm (posts/form.html, with post=None);
    # on a valid POST, save a Post by current_user and redirect to its page.
    abort(501)


@bp.route("/posts/<int:post_id>/edit/", methods=["GET", "POST"])
def edit(post_id):
    # TODO: signed-in users only; 404 for an unknown post, 403 unless current_user
    # wrote it. Show a PostForm filled from the post (posts/form.html, with post=post);
    # on a valid POST, save the changes and redirect to the post's page.
    abort(501)
