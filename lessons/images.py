"""Images that instructors upload into lessons: checked, stored and served safely.

Only raster images Pillow recognises as PNG, JPEG, GIF or WebP are kept, whatever the
browser claims the file is: an SVG or an HTML page can carry script, a bitmap served with
its true type and ``nosniff`` cannot. Files get random names (nothing of the uploader's
name reaches the disk) and live under MEDIA_ROOT; ``lessons.authoring_views.lesson_image``
serves them, in production as under DEBUG.
"""

from __future__ import annotations

import io
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from PIL import Image, UnidentifiedImageError

FOLDER = "lesson-images"
# Pillow's name for the format → (extension, Content-Type).
FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
CONTENT_TYPES = dict(FORMATS.values())
NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|gif|webp)$")


class ImageRefused(ValueError):
    """An upload that is not a lesson image; the message says why, in plain words."""


def image_storage() -> FileSystemStorage:
    """Built per call from the settings, so a test's MEDIA_ROOT is honoured."""
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / FOLDER, base_url=f"{settings.MEDIA_URL}{FOLDER}/")


def image_check(data: bytes) -> str:
    """The file's extension if it is an image we keep; raises ImageRefused otherwise."""
    limit = settings.LESSON_IMAGE_MAX_BYTES
    if len(data) > limit:
        raise ImageRefused(
            f"The image is {len(data) / 2**20:.1f} MiB; an image may be at most {limit / 2**20:.0f} MiB. "
            "Make it smaller (fewer pixels, or JPEG for photos) and upload it again."
        )
    refused = ImageRefused(
        "Only PNG, JPEG, GIF and WebP images can be uploaded, and this file is none of them "
        "(SVG and HTML files are refused because they can carry scripts)."
    )
    try:
        image = Image.open(io.BytesIO(data))
        kind = image.format
        width, height = image.size
        image.verify()  # reads the whole file: a truncated or forged image fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refused from None
    if kind not in FORMATS:
        raise refused
    side = settings.LESSON_IMAGE_MAX_SIDE
    if width > side or height > side:
        raise ImageRefused(f"The image is {width}×{height} pixels; each side may be at most {side} pixels.")
    return FORMATS[kind][0]


def image_store(*, data: bytes) -> str:
    """Keep a checked image under a random name; returns the URL it is served at."""
    extension = image_check(data)
    storage = image_storage()
    name = storage.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(data))
    return storage.url(name)


def image_path(name: str) -> Path | None:
    """Where a stored image is on disk, or None for any name we could not have made."""
    if not NAME.match(name):
        return None
    path = Path(image_storage().path(name))
    return path if path.is_file() else None
