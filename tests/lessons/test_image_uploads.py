"""What is kept of an uploaded lesson image: Pillow's re-encoding of it, without the
metadata it came with (a camera's GPS position above all), and only while the uploader
stays within their quota."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageSequence

from lessons.models import UploadedImage
from tests.conftest import PASSWORD, signed_in

UPLOAD = reverse("lessons:author_image_upload")
GPS = 0x8825  # the EXIF GPSInfo tag
SECRET = b"52.3676 N 4.9041 E, at home"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(media_root) -> list:
    folder = media_root / "lesson-images"
    return sorted(folder.iterdir()) if folder.exists() else []


def upload(client, data: bytes, name: str = "photo.jpg"):
    return client.post(UPLOAD, {"image": SimpleUploadedFile(name, data)}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")


def photo(kind: str, size=(40, 20), *, orientation: int | None = None) -> bytes:
    """A picture with EXIF (GPS position, camera, maybe an orientation) and, where the
    format has them, a comment and XMP."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 200, 30), (0, 0, size[0] // 2, size[1]))  # left half green
    exif = Image.Exif()
    exif[0x010F] = "Spy Camera Co."  # Make
    exif.get_ifd(GPS)[2] = (52.0, 22.0, 3.0)  # GPSLatitude
    exif[0x010E] = SECRET.decode()  # ImageDescription
    if orientation:
        exif[0x0112] = orientation
    extra = {"comment": SECRET} if kind in ("JPEG", "GIF") else {}
    if kind in ("JPEG", "PNG", "WEBP"):
        extra["xmp"] = b"<x:xmpmeta>" + SECRET + b"</x:xmpmeta>"
    out = io.BytesIO()
    image.save(out, kind, exif=exif.tobytes(), **extra)
    return out.getvalue()


@pytest.mark.parametrize(("kind", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_exif_gps_and_other_metadata_are_gone_after_upload(kind, extension, instructor, media_root):
    data = photo(kind)
    with Image.open(io.BytesIO(data)) as before:
        assert before.getexif().get_ifd(GPS)  # the test's photo does carry a position
    assert SECRET in data
    response = upload(signed_in("instructor"), data, f"photo.{extension}")
    assert response.status_code == 201, response.json()
    [path] = stored(media_root)
    kept = path.read_bytes()
    assert SECRET not in kept and b"Spy Camera" not in kept and b"Exif" not in kept
    with Image.open(path) as after:
        assert after.format == kind and after.size == (40, 20)
        assert not after.getexif() and "xmp" not in after.info and "comment" not in after.info
        assert after.convert("RGB").getpixel((5, 5))[1] > 150  # still the same picture


def test_a_gif_loses_its_comment_but_keeps_its_pixels(instructor, media_root):
    data = photo("GIF")
    assert SECRET in data
    assert upload(signed_in("instructor"), data, "a.gif").status_code == 201
    [path] = stored(media_root)
    assert SECRET not in path.read_bytes()
    with Image.open(path) as after:
        assert after.format == "GIF" and after.convert("RGB").getpixel((5, 5))[1] > 150


def test_a_photo_taken_sideways_is_stored_upright(instructor, media_root):
    # Orientation 6: the camera was turned; a viewer rotates the picture 90° clockwise.
    assert upload(signed_in("instructor"), photo("JPEG", (40, 20), orientation=6)).status_code == 201
    [path] = stored(media_root)
    with Image.open(path) as after:
        assert after.size == (20, 40) and not after.getexif()
        assert after.getpixel((10, 5))[1] > 150  # the green half is on top now


@pytest.mark.parametrize(("kind", "extension"), [("GIF", "gif"), ("WEBP", "webp")])
def test_an_animation_keeps_its_frames_and_timings(kind, extension, instructor, media_root):
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    frames = [Image.new("RGB", (8, 8), colour) for colour in colours]
    out = io.BytesIO()
    frames[0].save(out, kind, save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0)
    assert upload(signed_in("instructor"), out.getvalue(), f"a.{extension}").status_code == 201
    [path] = stored(media_root)
    kept = []
    with Image.open(path) as after:
        for frame in ImageSequence.Iterator(after):
            frame.load()  # WebP says a frame's duration once it is decoded
            kept.append((frame.info.get("duration"), frame.convert("RGB").getpixel((4, 4))))
    assert [duration for duration, _ in kept] == [100, 200, 300]
    for (_, pixel), colour in zip(kept, colours, strict=True):
        assert all(abs(a - b) < 30 for a, b in zip(pixel, colour, strict=True)), (pixel, colour)


def test_the_quota_refuses_the_upload_that_would_exceed_it_and_keeps_nothing(
    instructor, other_instructor, media_root, settings
):
    client = signed_in("instructor")
    assert upload(client, photo("PNG")).status_code == 201
    [first] = stored(media_root)
    used = first.stat().st_size
    assert UploadedImage.objects.get().size == used
    settings.LESSON_IMAGE_QUOTA_BYTES = used * 2 - 1  # room for one more byte short of a second
    response = upload(client, photo("PNG"))
    assert response.status_code == 400
    message = response.json()["error"]
    assert "would take you over your quota for images" in message and "MiB" in message
    assert stored(media_root) == [first]
    assert UploadedImage.objects.count() == 1
    # The quota is each instructor's own.
    assert upload(signed_in("other-instructor"), photo("PNG")).status_code == 201
    assert UploadedImage.objects.filter(uploaded_by=other_instructor).count() == 1


def test_the_quota_is_a_setting(settings):
    assert settings.LESSON_IMAGE_QUOTA_BYTES == 50 * 1024 * 1024  # DUET_IMAGE_QUOTA_BYTES, unset


def test_the_admin_deleting_an_image_removes_its_file_and_frees_the_quota(instructor, media_root, settings):
    from django.contrib.auth import get_user_model

    assert upload(signed_in("instructor"), photo("PNG")).status_code == 201
    image = UploadedImage.objects.get()
    settings.LESSON_IMAGE_QUOTA_BYTES = image.size
    assert upload(signed_in("instructor"), photo("PNG")).status_code == 400  # full
    get_user_model().objects.create_superuser(username="admin", password=PASSWORD)
    admin = signed_in("admin")
    response = admin.post(f"/admin/lessons/uploadedimage/{image.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert stored(media_root) == [] and not UploadedImage.objects.exists()
    assert upload(signed_in("instructor"), photo("PNG")).status_code == 201  # room again
