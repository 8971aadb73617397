"""Images that instructors upload into lessons: checked, stored and served safely.

Only raster images Pillow recognises as PNG, JPEG, GIF or WebP are kept, whatever the
browser claims the file is: an SVG or an HTML page can carry script, a bitmap served with
its true type and ``nosniff`` cannot. What is kept is Pillow's re-encoding of the image,
not the upload: whatever else the file carried (EXIF with the camera's GPS position,
XMP, comments, bytes after the image) is gone. Files get random names (nothing of the
uploader's name reaches the disk) and live under MEDIA_ROOT;
``lessons.authoring_views.lesson_image`` serves them, in production as under DEBUG. Each
upload is recorded (``UploadedImage``), and an uploader's images together may take at
most LESSON_IMAGE_QUOTA_BYTES.
"""

from __future__ import annotations

import io
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models import Sum
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from .models import UploadedImage

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
# Re-encoding decodes every frame: an animation may have as many pixels, all frames
# together, as one still image of the largest size allowed.
MAX_DECODED_PIXELS = 8000 * 8000
# What of an image's ``info`` its pixels need to look the same; the rest is metadata. The
# ICC profile is colour, not a record of who or where, and stays.
KEPT_INFO = ("transparency", "icc_profile", "background", "loop")
JPEG_QUALITY = 90  # when a photo must be rotated upright and so re-compressed


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
    with Image.open(io.BytesIO(data)) as image:
        frames = getattr(image, "n_frames", 1)
    if frames * width * height > MAX_DECODED_PIXELS:
        raise ImageRefused(
            f"The animation has {frames} frames of {width}×{height} pixels: too many to keep. "
            "Use fewer frames or make them smaller."
        )
    return FORMATS[kind][0]


def image_reencode(data: bytes) -> bytes:
    """The image as Pillow writes it anew, in its own format, without its metadata: a
    photo's EXIF orientation is applied to its pixels first, so it stays upright, and GIF
    and WebP animations keep their frames, timings and looping."""
    out = io.BytesIO()
    with Image.open(io.BytesIO(data)) as image:
        kind = image.format
        params: dict = {"format": kind}
        if icc := image.info.get("icc_profile"):
            params["icc_profile"] = icc
        if kind == "WEBP":
            params |= {"lossless": _webp_lossless(data), "quality": JPEG_QUALITY}
        if kind in ("GIF", "WEBP") and getattr(image, "n_frames", 1) > 1:
            clean, more = _animation_frames(image)
            params |= more
        elif kind == "JPEG" and _orientation(image) in (0, 1):
            # Upright already: the same quantisation tables, so no second loss of quality.
            clean, params["quality"] = image, "keep"
        else:
            clean = ImageOps.exif_transpose(image)
            if kind == "JPEG":
                params["quality"] = JPEG_QUALITY
        # Pillow takes some metadata (comments, XMP) from ``info`` when it saves.
        clean.info = _kept_info(image.info)
        clean.save(out, **params)
    return out.getvalue()


def _animation_frames(image: Image.Image) -> tuple[Image.Image, dict]:
    """The first frame and what saving every frame, each for its own time, takes."""
    frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    durations = [frame.info.get("duration", 100) for frame in frames]
    for frame in frames:
        frame.info = _kept_info(frame.info)
    loop = image.info.get("loop", 0)
    return frames[0], {"save_all": True, "append_images": frames[1:], "duration": durations, "loop": loop}


def _kept_info(info: dict) -> dict:
    return {key: value for key, value in info.items() if key in KEPT_INFO}


def _orientation(image: Image.Image) -> int:
    return image.getexif().get(0x0112, 0)  # EXIF Orientation


def _webp_lossless(data: bytes) -> bool:
    """Whether a WebP file is lossless (VP8L) rather than lossy (VP8): kept as it was."""
    return b"VP8L" in data[12:4096] and b"VP8 " not in data[12:4096]


def image_usage(user) -> int:
    """Bytes of the images ``user`` has uploaded, all together."""
    return UploadedImage.objects.filter(uploaded_by=user).aggregate(n=Sum("size"))["n"] or 0


def image_store(*, data: bytes, user) -> str:
    """Keep a checked image, re-encoded, under a random name, if it fits in the user's
    quota; returns the URL it is served at. Refused, nothing is kept."""
    extension = image_check(data)
    clean = image_reencode(data)
    quota = settings.LESSON_IMAGE_QUOTA_BYTES
    storage, name = image_storage(), None
    try:
        with transaction.atomic():
            # One upload of a user's at a time, so two at once cannot both fit in what is left.
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            used = image_usage(user)
            if used + len(clean) > quota:
                raise ImageRefused(
                    f"This image ({len(clean) / 2**20:.1f} MiB) would take you over your quota for images: "
                    f"you have uploaded {used / 2**20:.1f} MiB of {quota / 2**20:.0f} MiB. Reuse an image "
                    "you uploaded before, make this one smaller, or ask the site's admin for more room."
                )
            name = storage.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(clean))
            UploadedImage.objects.create(name=name, uploaded_by=user, size=len(clean))
    except BaseException:
        if name is not None:  # stored, but not recorded: keep nothing
            storage.delete(name)
        raise
    return storage.url(name)


def image_path(name: str) -> Path | None:
    """Where a stored image is on disk, or None for any name we could not have made."""
    if not NAME.match(name):
        return None
    path = Path(image_storage().path(name))
    return path if path.is_file() else None
