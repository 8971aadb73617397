import uuid

from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render

from .models import Attachment

MAX_UPLOAD_BYTES = 1024 * 1024  # the file itself: at most 1 MiB

# The first bytes of each type we accept. The name and the Content-Type the client
# sent prove nothing: both are whatever the client chose to write.
SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"%PDF-": "application/pdf",
}


def sniff_type(data: bytes) -> str | None:
    """The type whose signature ``data`` starts with, or None."""
    for signature, content_type in SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    return None


def _list_page(request, error=None, status=200):
    context = {"attachments": Attachment.objects.all(), "error": error}
    return render(request, "attachments/attachment_list.html", context, status=status)


def attachment_list(request):
    if request.method != "POST":
        return _list_page(request)

    upload = request.FILES.get("file")
    if upload is None:
        return _list_page(request, "Choose a file to upload.", status=400)
    # No setting limits a file's size: Django has already read it, into memory or
    # (past FILE_UPLOAD_MAX_MEMORY_SIZE) a temporary file, and says how big it is.
    if upload.size > MAX_UPLOAD_BYTES:
        return _list_page(request, "A file may be at most 1 MiB (1,048,576 bytes).", status=413)
    content_type = upload.content_type
    if content_type not in SIGNATURES.values():
        return _list_page(request, "Only PNG, JPEG or PDF files are accepted.", status=400)

    upload.seek(0)
    attachment = Attachment(original_name=upload.name, content_type=content_type)
    # The server names the stored file; upload_to puts it under MEDIA_ROOT/attachments/.
    attachment.file.save(uuid.uuid4().hex, upload)  # saves the row too
    return redirect("attachments:list")


def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    # SecurityMiddleware adds this to every response already; said here too, because
    # this is the response that must never go without it.
    response["X-Content-Type-Options"] = "nosniff"
    return response
