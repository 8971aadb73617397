from django.db import models


class Attachment(models.Model):
    # Shown on the page and used to name the download; never a path.
    original_name = models.CharField(max_length=255)
    # The stored file, under MEDIA_ROOT/attachments/, with a name the server made.
    file = models.FileField(upload_to="attachments/")
    # The type found in the file's first bytes, not the one the client claimed.
    content_type = models.CharField(max_length=100)
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.original_name
