from django.http import HttpResponse
from django.urls import reverse_lazy  # noqa: F401 (for your views)
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView  # noqa: F401

from .models import Note


class NoteList(ListView):
    model = Note
    ordering = ["pk"]
    # TODO: five notes a page (the template shows the page links once there are pages).


class NoteDetail(DetailView):
    model = Note


class NotWrittenYet(View):
    def dispatch(self, request, *args, **kwargs):
        return HttpResponse("Not written yet: see notes/views.py.", status=501)


class NoteCreate(NotWrittenYet):
    """TODO: a CreateView of Note with the fields title and body (notes/note_form.html)."""


class NoteUpdate(NotWrittenYet):
    """TODO: an UpdateView of Note with the fields title and body (notes/note_form.html)."""


class NoteDelete(NotWrittenYet):
    """TODO: a DeleteView of Note (notes/note_confirm_delete.html) that goes back to the list."""
