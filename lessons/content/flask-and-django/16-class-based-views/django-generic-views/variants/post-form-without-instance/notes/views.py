from django.forms import modelform_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, ListView

from .models import Note

NoteForm = modelform_factory(Note, fields=["title", "body"])


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


class NoteUpdate(View):
    def get(self, request, pk):
        note = get_object_or_404(Note, pk=pk)
        return render(request, "notes/note_form.html", {"form": NoteForm(instance=note), "note": note})

    def post(self, request, pk):
        note = get_object_or_404(Note, pk=pk)
        form = NoteForm(request.POST)
        if form.is_valid():
            return redirect(form.save())
        return render(request, "notes/note_form.html", {"form": form, "note": note})


class NoteDelete(DeleteView):
    model = Note
    # reverse_lazy, because the URLconf is still being imported when this line runs.
    success_url = reverse_lazy("notes:list")
