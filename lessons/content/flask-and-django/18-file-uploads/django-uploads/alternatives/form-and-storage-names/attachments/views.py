from django import forms
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render

from .models import Attachment

MAX_UPLOAD_BYTES = 1024 * 1024  # the file itself: at most 1 MiB

SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"%PDF-": "application/pdf",
}


class UploadForm(forms.Form):
    file = forms.FileField(error_messages={"required": "Choose a file to upload."})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("A file may be at most 1 MiB (1,048,576 bytes).", code="too_large")
        head = upload.read(16)
        upload.seek(0)
        self.content_type = next((kind for sig, kind in SIGNATURES.items() if head.startswith(sig)), None)
        if self.content_type is None:
            raise forms.ValidationError("Only PNG, JPEG or PDF files are accepted.", code="wrong_type")
        return upload


def attachment_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        attachment = Attachment(original_name=upload.name, content_type=form.content_type)
        # The storage cleans the name (get_valid_name) and, when it is taken, adds a
        # random suffix (get_available_name): never a path, never an overwrite.
        attachment.file.save(upload.name, upload)
        return redirect("attachments:list")

    status, error = 200, None
    if request.method == "POST":
        status = 413 if form.has_error("file", "too_large") else 400
        error = form.errors["file"][0]
    context = {"attachments": Attachment.objects.all(), "error": error}
    return render(request, "attachments/attachment_list.html", context, status=status)


def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment, pk=pk)
    # X-Content-Type-Options: nosniff comes from SecurityMiddleware
    # (SECURE_CONTENT_TYPE_NOSNIFF is True by default).
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
