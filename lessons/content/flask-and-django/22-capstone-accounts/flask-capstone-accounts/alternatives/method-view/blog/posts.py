from flask import Blueprint, abort, redirect, render_template, url_for
from flask.views import MethodView
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


class EditPost(MethodView):
    decorators = [login_required]

    def _own_post(self, post_id):
        post = db.get_or_404(Post, post_id)
        if post.author != current_user:
            abort(403)
        return post

    def get(self, post_id):
        post = self._own_post(post_id)
        return render_template("posts/form.html", form=PostForm(obj=post), post=post)

    def post(self, post_id):
        post = self._own_post(post_id)
        form = PostForm()
        if not form.validate():
            return render_template("posts/form.html", form=form, post=post)
        post.title, post.body = form.title.data, form.body.data
        db.session.commit()
        return redirect(url_for("posts.detail", post_id=post.id))


bp.add_url_rule("/posts/<int:post_id>/edit/", view_func=EditPost.as_view("edit"))
