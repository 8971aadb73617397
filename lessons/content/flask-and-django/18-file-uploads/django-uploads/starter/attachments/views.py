from django.http import HttpResponse
from django.shortcuts import render

from .models import Attachment

MAX_UPLOAD_BYTES = 1024 * 1024  # the file itself: at most 1 MiB


def _list_page(request, error=None, status=200):
    context = {"attachments": Attachment.objects.all(), "error": error}
    return render(request, "attachments/attachment_list.html", context, status=status)


def attachment_list(request):
    if request.method != "POST":
        return _list_page(request)

    # TODO (this exercise): take the file from request.FILES["file"]; refuse no file
    # (400), a file over MAX_UPLOAD_BYTES (413) and one that is not a PNG, JPEG or
    # PDF by its first bytes (400); store it under a name the server makes, in an
    # Attachment row; redirect to the list.
    return _list_page(request, "Uploads are not written yet.", status=501)


def attachment_download(request, pk):
    # TODO (this exercise): send the file back as an attachment, under its original
    # name, with X-Content-Type-Options: nosniff; 404 for an id that does not exist.
    return HttpResponse("Downloads are not written yet.", status=501)
