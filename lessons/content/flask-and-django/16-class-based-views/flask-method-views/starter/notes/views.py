from flask import Blueprint, abort, redirect, render_template, url_for  # noqa: F401 (for your views)
from flask.views import MethodView
from sqlalchemy import select

from .extensions import db
from .forms import NoteForm  # noqa: F401 (for your views)
from .models import Note

bp = Blueprint("notes", __name__, url_prefix="/notes")


class NoteList(MethodView):
    def get(self):
        # TODO: five notes a page, ?page=N, and 404 for a page that does not exist.
        notes = db.session.scalars(select(Note).order_by(Note.id)).all()
        return render_template("notes/list.html", notes=notes, pagination=None)


class NoteDetail(MethodView):
    def get(self, note_id):
        note = db.get_or_404(Note, note_id)
        return render_template("notes/detail.html", note=note)


class NoteCreate(MethodView):
    # TODO: GET shows an empty NoteForm (notes/form.html, with note=None); POST
    # validates it, adds the note and redirects to its page.
    def get(self):
        abort(501)


class NoteEdit(MethodView):
    # TODO: GET shows a NoteForm filled from the note (notes/form.html, with
    # note=note); POST validates it, saves it into that same note and redirects to
    # its page. 404 for an unknown note.
    def get(self, note_id):
        abort(501)


class NoteDelete(MethodView):
    # TODO: GET shows notes/confirm_delete.html (with note=note) and deletes
    # nothing; POST deletes the note and redirects to the list. 404 for an unknown note.
    def get(self, note_id):
        abort(501)


bp.add_url_rule("/", view_func=NoteList.as_view("list"))
bp.add_url_rule("/new/", view_func=NoteCreate.as_view("create"))
bp.add_url_rule("/<int:note_id>/", view_func=NoteDetail.as_view("detail"))
bp.add_url_rule("/<int:note_id>/edit/", view_func=NoteEdit.as_view("edit"))
bp.add_url_rule("/<int:note_id>/delete/", view_func=NoteDelete.as_view("delete"))
