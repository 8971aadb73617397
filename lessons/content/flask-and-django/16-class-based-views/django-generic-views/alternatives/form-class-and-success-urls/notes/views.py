from django.urls import reverse, reverse_lazy
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView

from .forms import NoteForm
from .models import Note


class NoteList(ListView):
    paginate_by = 5

    def get_queryset(self):
        return Note.objects.order_by("pk")


class NoteDetail(DetailView):
    queryset = Note.objects.all()


class NoteFormView:
    """What the create and edit views share: the form, and where to go once saved."""

    model = Note
    form_class = NoteForm

    def get_success_url(self):
        return reverse("notes:detail", args=[self.object.pk])


class NoteCreate(NoteFormView, CreateView):
    pass


class NoteUpdate(NoteFormView, UpdateView):
    pass


class NoteDelete(DeleteView):
    model = Note
    template_name = "notes/note_confirm_delete.html"
    success_url = reverse_lazy("notes:list")
