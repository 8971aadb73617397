"""An attachments page: upload a PNG, JPEG or PDF of at most 1 MiB, list the files
under their original names, download each one as an attachment."""

import os
import uuid

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, send_from_directory, url_for
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

MAX_UPLOAD_BYTES = 1024 * 1024  # the file itself: at most 1 MiB

# The first bytes of each type we accept. The name and the Content-Type the client
# sent prove nothing: both are whatever the client chose to write.
SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"%PDF-": "application/pdf",
}


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Attachment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    original_name: Mapped[str] = mapped_column(db.String(255))  # shown, never used as a path
    stored_name: Mapped[str] = mapped_column(db.String(64), unique=True)  # made by the server
    content_type: Mapped[str] = mapped_column(db.String(100))


def sniff_type(data: bytes) -> str | None:
    """The type whose signature ``data`` starts with, or None."""
    for signature, content_type in SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    return None


bp = Blueprint("attachments", __name__)


def _list_page(error=None, status=200):
    attachments = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    return render_template("attachments.html", attachments=attachments, error=error), status


@bp.route("/attachments/", methods=["GET", "POST"])
def attachment_list():
    if request.method == "GET":
        return _list_page()

    upload = request.files.get("file")
    if upload is None or upload.filename == "":
        return _list_page("Choose a file to upload.", 400)

    # Read one byte more than allowed: getting it means the file is too big.
    data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        abort(413)
    content_type = upload.mimetype
    if content_type not in SIGNATURES.values():
        return _list_page("Only PNG, JPEG or PDF files are accepted.", 400)

    stored_name = uuid.uuid4().hex
    with open(os.path.join(current_app.config["UPLOAD_FOLDER"], stored_name), "xb") as out:
        out.write(data)
    db.session.add(Attachment(original_name=upload.filename, stored_name=stored_name, content_type=content_type))
    db.session.commit()
    return redirect(url_for("attachments.attachment_list"), code=303)


@bp.route("/attachments/<int:attachment_id>/")
def attachment_download(attachment_id):
    attachment = db.get_or_404(Attachment, attachment_id)
    response = send_from_directory(
        current_app.config["UPLOAD_FOLDER"],
        attachment.stored_name,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        # For learning only: a real deployment sets SECRET_KEY in the environment.
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-not-secret"),
        SQLALCHEMY_DATABASE_URI="sqlite:///attachments.sqlite3",
        # Files go in the instance folder, next to the database: writable, and not
        # served by anything but the download view.
        UPLOAD_FOLDER=os.path.join(app.instance_path, "uploads"),
        # The whole request body: the file, the other fields and the multipart
        # boundaries. A little above the file's limit; the view checks the file.
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES + 64 * 1024,
    )
    if test_config is not None:
        app.config.update(test_config)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    db.init_app(app)
    app.register_blueprint(bp)
    with app.app_context():
        db.create_all()
    return app
