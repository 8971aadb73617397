"""An attachments page: upload a PNG, JPEG or PDF of at most 1 MiB, list the files
under their original names, download each one as an attachment."""

import os

from flask import Blueprint, Flask, current_app, redirect, render_template, send_from_directory, url_for
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from wtforms.validators import ValidationError

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
    content_type: Mapped[str] = mapped_column(db.String(100))


def sniff_type(data: bytes) -> str | None:
    """The type whose signature ``data`` starts with, or None."""
    for signature, content_type in SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    return None


TOO_BIG = "A file may be at most 1 MiB (1,048,576 bytes)."


def accepted_type(form, field):
    """A validator: the file's first bytes must be those of a PNG, a JPEG or a PDF."""
    head = field.data.stream.read(16)
    field.data.stream.seek(0)
    field.content_type = sniff_type(head)
    if field.content_type is None:
        raise ValidationError("Only PNG, JPEG or PDF files are accepted.")


class UploadForm(FlaskForm):
    file = FileField(
        "File",
        validators=[
            FileRequired("Choose a file to upload."),
            FileSize(max_size=MAX_UPLOAD_BYTES, message=TOO_BIG),
            accepted_type,
        ],
    )


bp = Blueprint("attachments", __name__)


@bp.route("/attachments/", methods=["GET", "POST"])
def attachment_list():
    form = UploadForm()
    if form.validate_on_submit():
        attachment = Attachment(original_name=form.file.data.filename, content_type=form.file.content_type)
        db.session.add(attachment)
        db.session.flush()  # gives the row its id, which names the file
        form.file.data.save(os.path.join(current_app.config["UPLOAD_FOLDER"], str(attachment.id)))
        db.session.commit()
        return redirect(url_for("attachments.attachment_list"), code=303)

    status = 200
    if form.file.errors:
        status = 413 if TOO_BIG in form.file.errors else 400
    attachments = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    error = form.file.errors[0] if form.file.errors else None
    return render_template("attachments.html", attachments=attachments, form=form, error=error), status


@bp.route("/attachments/<int:attachment_id>/")
def attachment_download(attachment_id):
    attachment = db.get_or_404(Attachment, attachment_id)
    # Without mimetype=, send_file guesses the type from download_name, the name
    # the client chose: a file called x.html would go out as text/html.
    response = send_from_directory(
        current_app.config["UPLOAD_FOLDER"],
        str(attachment.id),
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
