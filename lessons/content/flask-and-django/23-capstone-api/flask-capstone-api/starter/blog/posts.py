from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .extensions import db
from .forms import PostForm
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
@login_required
def create():
    form = PostForm()
    if form.validate_on_submit():
        post = Post(title=form.title.data, body=form.body.data, author=current_user)
        db.session.add(post)
        db.session.commit()
        return redirect(url_for("posts.detail", post_id=post.id))
    return render_template("posts/form.html", form=form, post=None)


@bp.route("/posts/<int:post_id>/edit/", methods=["GET", "POST"])
@login_required
def edit(post_id):
    post = db.get_or_404(Post, post_id)
    if post.author_id != current_user.id:
        abort(403)  # before the form is read or saved: for GET and POST alike
    form = PostForm(obj=post)
    if form.validate_on_submit():
        form.populate_obj(post)
        db.session.commit()
        return redirect(url_for("posts.detail", post_id=post.id))
    return render_template("posts/form.html", form=form, post=post)
