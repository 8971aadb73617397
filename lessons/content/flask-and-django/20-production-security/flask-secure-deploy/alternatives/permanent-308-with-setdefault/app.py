"""The todo app, about to go live at https://todos.example.com behind a proxy that
terminates TLS. It fails well (lesson 14); now it must be safe on the open web."""

import os
from logging.config import dictConfig
from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, Flask, redirect, render_template, request, url_for
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from werkzeug.middleware.proxy_fix import ProxyFix
from wtforms import StringField
from wtforms.validators import DataRequired, Length

PER_PAGE = 5

# The one host name the site answers to; the proxy passes the visitor's Host through.
SITE_HOST = os.environ.get("SITE_HOST", "todos.example.com")

# Sent with every answer (error pages included). The pages load nothing but their own
# files, so the policy can be strict: no inline scripts, no framing by other sites.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
# A year of "HTTPS only" for this host and its subdomains, remembered by the browser.
HSTS = "max-age=31536000; includeSubDomains"

# Configure logging before the app exists, as Flask's docs advise: every record, Flask's
# own included, goes to stderr with a time and a level, where the WSGI server's log
# (and your hosting's log collector) will find it.
dictConfig(
    {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "[%(asctime)s] %(levelname)s in %(module)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "plain"}},
        "root": {"level": "INFO", "handlers": ["stderr"]},
    }
)


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()


class Todo(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(db.String(100))


class TodoForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=100)])


bp = Blueprint("todos", __name__)


@bp.route("/")
def home():
    return redirect(url_for("todos.todo_list"))


@bp.route("/todos/", methods=["GET", "POST"])
def todo_list():
    form = TodoForm()
    if form.validate_on_submit():
        todo = Todo(title=form.title.data)
        db.session.add(todo)
        db.session.commit()
        return redirect(url_for("todos.todo_detail", todo_id=todo.id))

    pagination = db.paginate(select(Todo).order_by(Todo.id.desc()), per_page=PER_PAGE)
    return render_template(
        "todo_list.html",
        form=form,
        todos=pagination.items,
        page=pagination.page,
        has_next=pagination.has_next,
    )


@bp.route("/todos/<int:todo_id>/")
def todo_detail(todo_id):
    todo = db.get_or_404(Todo, todo_id)
    return render_template("todo_detail.html", todo=todo)


@bp.route("/healthz")
def healthz():
    # For the load balancer: it asks often, so keep it cheap.
    return {"status": "ok"}


def page_not_found(error):
    return render_template("404.html"), 404


def server_error(error):
    # Flask has already logged the original exception, with its traceback, on
    # app.logger. Keep this page simple: whatever broke may break it too.
    return render_template("500.html"), 500


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        # For learning only: a real deployment sets SECRET_KEY in the environment.
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-not-secret"),
        SQLALCHEMY_DATABASE_URI="sqlite:///todo.sqlite3",
    )
    # No DEBUG here: debug mode is for your machine only (flask --app app run --debug).
    if test_config is not None:
        app.config.update(test_config)

    app.config.update(
        # Answer only the site's own name: any other Host header gets 400 Bad Request.
        TRUSTED_HOSTS=[SITE_HOST],
        # The cookies go out over HTTPS only, out of reach of scripts, and not with
        # requests that other sites start (a link is fine, a form posted from elsewhere is not).
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    # The proxy terminates TLS and says in X-Forwarded-Proto how the visitor came. Trust
    # that one header from one proxy: nothing reaches this server except through it, and
    # the proxy overwrites whatever a client sent.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)
    # Every POST needs the form's token, and over HTTPS a Referer on this host: a
    # FlaskForm alone checks the token only.
    csrf.init_app(app)

    @app.before_request
    def redirect_to_https():
        # The load balancer asks for /healthz over plain HTTP: answer it there.
        if not request.is_secure and request.endpoint != "todos.healthz":
            return redirect(urlunsplit(urlsplit(request.url)._replace(scheme="https")), code=308)

    @app.after_request
    def add_security_headers(response):
        # On the app, not on the blueprint: a blueprint's hooks miss the 404s for
        # unknown URLs, which no blueprint handles.
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        # Over HTTPS only, as the standard says (RFC 6797): a browser ignores it on HTTP.
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = HSTS
        return response

    db.init_app(app)
    app.register_blueprint(bp)
    app.register_error_handler(404, page_not_found)
    app.register_error_handler(500, server_error)
    with app.app_context():
        db.create_all()
    return app
