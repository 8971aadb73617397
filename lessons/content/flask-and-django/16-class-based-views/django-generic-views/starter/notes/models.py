from django.db import models
from django.urls import reverse


class Note(models.Model):
    title = models.CharField(max_length=100)
    body = models.TextField(blank=True)

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        # CreateView and UpdateView redirect here when they have no success_url.
        return reverse("notes:detail", args=[self.pk])
