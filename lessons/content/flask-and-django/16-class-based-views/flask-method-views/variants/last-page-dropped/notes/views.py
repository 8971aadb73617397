from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.views import MethodView
from sqlalchemy import select

from .extensions import db
from .forms import NoteForm
from .models import Note

bp = Blueprint("notes", __name__, url_prefix="/notes")
PER_PAGE = 5


class NoteList(MethodView):
    def get(self):
        notes = db.session.scalars(select(Note).order_by(Note.id)).all()
        try:
            page = int(request.args.get("page", "1"))
        except ValueError:
            abort(404)
        pages = max(len(notes) // PER_PAGE, 1)
        if not 1 <= page <= pages:
            abort(404)
        shown = notes[(page - 1) * PER_PAGE : page * PER_PAGE]
        return render_template("notes/list.html", notes=shown, pagination=None)


class NoteDetail(MethodView):
    def get(self, note_id):
        note = db.get_or_404(Note, note_id)
        return render_template("notes/detail.html", note=note)


class NoteCreate(MethodView):
    def get(self):
        return render_template("notes/form.html", form=NoteForm(), note=None)

    def post(self):
        form = NoteForm()
        if not form.validate_on_submit():
            return render_template("notes/form.html", form=form, note=None)
        note = Note()
        form.populate_obj(note)
        db.session.add(note)
        db.session.commit()
        return redirect(url_for("notes.detail", note_id=note.id), code=303)


class NoteEdit(MethodView):
    def get(self, note_id):
        note = db.get_or_404(Note, note_id)
        return render_template("notes/form.html", form=NoteForm(obj=note), note=note)

    def post(self, note_id):
        note = db.get_or_404(Note, note_id)
        # On a POST the form takes the posted values; obj= only fills what was not sent.
        form = NoteForm(obj=note)
        if not form.validate_on_submit():
            return render_template("notes/form.html", form=form, note=note)
        form.populate_obj(note)
        db.session.commit()
        return redirect(url_for("notes.detail", note_id=note.id), code=303)


class NoteDelete(MethodView):
    def get(self, note_id):
        note = db.get_or_404(Note, note_id)
        return render_template("notes/confirm_delete.html", note=note)

    def post(self, note_id):
        note = db.get_or_404(Note, note_id)
        db.session.delete(note)
        db.session.commit()
        return redirect(url_for("notes.list"), code=303)


bp.add_url_rule("/", view_func=NoteList.as_view("list"))
bp.add_url_rule("/new/", view_func=NoteCreate.as_view("create"))
bp.add_url_rule("/<int:note_id>/", view_func=NoteDetail.as_view("detail"))
bp.add_url_rule("/<int:note_id>/edit/", view_func=NoteEdit.as_view("edit"))
bp.add_url_rule("/<int:note_id>/delete/", view_func=NoteDelete.as_view("delete"))
