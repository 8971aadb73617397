from django.urls import reverse_lazy
from django.views.generic import CreateView, DeleteView, DetailView, ListView

from .models import Note


class NoteList(ListView):
    model = Note
    ordering = ["pk"]
    paginate_by = 5


class NoteDetail(DetailView):
    model = Note


class NoteCreate(CreateView):
    model = Note
    fields = ["title", "body"]
    # No success_url: the view redirects to the new note's get_absolute_url().


class NoteUpdate(CreateView):
    model = Note
    fields = ["title", "body"]


class NoteDelete(DeleteView):
    model = Note
    # reverse_lazy, because the URLconf is still being imported when this line runs.
    success_url = reverse_lazy("notes:list")
