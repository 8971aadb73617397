import math

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.views import MethodView
from sqlalchemy import func, select

from .extensions import db
from .forms import NoteForm
from .models import Note

bp = Blueprint("notes", __name__, url_prefix="/notes")
PER_PAGE = 5


class NoteList(MethodView):
    def get(self):
        raw = request.args.get("page", "1")
        if not raw.isdigit():
            abort(404)
        page = int(raw)
        total = db.session.scalar(select(func.count()).select_from(Note))
        pages = max(math.ceil(total / PER_PAGE), 1)
        if not 1 <= page <= pages:
            abort(404)
        query = select(Note).order_by(Note.id).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
        return render_template("notes/list.html", notes=db.session.scalars(query).all(), pagination=None)


class OneNote(MethodView):
    """The views of one note: each method gets the note, or a 404."""

    def note(self, note_id):
        return Note.query.get_or_404(note_id)


class NoteDetail(OneNote):
    def get(self, note_id):
        return render_template("notes/detail.html", note=self.note(note_id))


class NoteCreate(MethodView):
    def get(self):
        return render_template("notes/form.html", form=NoteForm(), note=None)

    def post(self):
        form = NoteForm()
        if form.validate_on_submit():
            note = Note(title=form.title.data, body=form.body.data)
            db.session.add(note)
            db.session.commit()
            return redirect(url_for("notes.detail", note_id=note.id))
        return render_template("notes/form.html", form=form, note=None)


class NoteEdit(OneNote):
    def get(self, note_id):
        note = self.note(note_id)
        return render_template("notes/form.html", form=NoteForm(obj=note), note=note)

    def post(self, note_id):
        note = self.note(note_id)
        form = NoteForm()
        if form.validate_on_submit():
            note.title = form.title.data
            note.body = form.body.data
            db.session.commit()
            return redirect(url_for("notes.detail", note_id=note.id))
        return render_template("notes/form.html", form=form, note=note)


class NoteDelete(OneNote):
    def get(self, note_id):
        return render_template("notes/confirm_delete.html", note=self.note(note_id))

    def post(self, note_id):
        db.session.delete(self.note(note_id))
        db.session.commit()
        return redirect(url_for("notes.list"))


bp.add_url_rule("/", view_func=NoteList.as_view("list"))
bp.add_url_rule("/new/", view_func=NoteCreate.as_view("create"))
bp.add_url_rule("/<int:note_id>/", view_func=NoteDetail.as_view("detail"))
bp.add_url_rule("/<int:note_id>/edit/", view_func=NoteEdit.as_view("edit"))
bp.add_url_rule("/<int:note_id>/delete/", view_func=NoteDelete.as_view("delete"))
