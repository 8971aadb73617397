"""An attachments page: upload a PNG, JPEG or PDF of at most 1 MiB, list the files
under their original names, download each one as an attachment.

The page, the model and the folder are ready; the upload and the download are yours."""

import os

from flask import Blueprint, Flask, abort, render_template, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

MAX_UPLOAD_BYTES = 1024 * 1024  # the file itself: at most 1 MiB


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Attachment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    original_name: Mapped[str] = mapped_column(db.String(255))  # shown, never used as a path
    stored_name: Mapped[str] = mapped_column(db.String(64), unique=True)  # made by the server
    content_type: Mapped[str] = mapped_column(db.String(100))


bp = Blueprint("attachments", __name__)


def _list_page(error=None, status=200):
    attachments = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    return render_template("attachments.html", attachments=attachments, error=error), status


@bp.route("/attachments/", methods=["GET", "POST"])
def attachment_list():
    if request.method == "GET":
        return _list_page()

    # TODO (this exercise): take the file from request.files["file"]; refuse no file
    # (400), a file over MAX_UPLOAD_BYTES (413) and one that is not a PNG, JPEG or
    # PDF by its first bytes (400); store it under a name the server makes, in
    # app.config["UPLOAD_FOLDER"]; add an Attachment row; redirect to the list.
    return _list_page("Uploads are not written yet.", 501)


@bp.route("/attachments/<int:attachment_id>/")
def attachment_download(attachment_id):
    # TODO (this exercise): send the file back as an attachment, under its original
    # name, with X-Content-Type-Options: nosniff; 404 for an id that does not exist.
    abort(501)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        # For learning only: a real deployment sets SECRET_KEY in the environment.
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-not-secret"),
        SQLALCHEMY_DATABASE_URI="sqlite:///attachments.sqlite3",
        # Files go in the instance folder, next to the database: writable, and not
        # served by anything but the download view.
        UPLOAD_FOLDER=os.path.join(app.instance_path, "uploads"),
        # TODO (this exercise): MAX_CONTENT_LENGTH
    )
    if test_config is not None:
        app.config.update(test_config)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    db.init_app(app)
    app.register_blueprint(bp)
    with app.app_context():
        db.create_all()
    return app
