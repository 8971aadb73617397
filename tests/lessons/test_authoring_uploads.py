"""Images uploaded into lessons: only real PNG, JPEG, GIF and WebP files are kept, under
random names in MEDIA_ROOT, and served with their true type and nosniff; everything else
is refused with a message that says why. Only instructors may upload or use the live
preview, which is sanitized exactly as the page."""

import io
import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.conftest import PASSWORD

UPLOAD = reverse("lessons:author_image_upload")
PREVIEW = reverse("lessons:author_markdown_preview")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def author(instructor) -> Client:
    client = Client()
    assert client.login(username="instructor", password=PASSWORD)
    return client


def image_bytes(kind: str, size: tuple[int, int] = (4, 3)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind)
    return out.getvalue()


def upload(client: Client, name: str, data: bytes, content_type: str):
    return client.post(
        UPLOAD,
        {"image": SimpleUploadedFile(name, data, content_type=content_type)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )


def stored(media_root) -> list:
    folder = media_root / "lesson-images"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_png_is_stored_under_a_random_name_and_served_as_a_png_with_nosniff(author, media_root, client):
    data = image_bytes("PNG")
    response = upload(author, "../../evil name.html", data, "text/html")
    assert response.status_code == 201
    url = re.fullmatch(r"!\[\]\((/media/lesson-images/[0-9a-f]{32}\.png)\)", response.json()["image_code"])[1]
    [path] = stored(media_root)
    assert path.read_bytes() == data and path.name == url.rsplit("/", 1)[1]

    served = client.get(url)  # lesson pages are public, and so are their images
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert b"".join(served.streaming_content) == data


@pytest.mark.parametrize(
    ("kind", "extension", "content_type"),
    [("JPEG", "jpg", "image/jpeg"), ("GIF", "gif", "image/gif"), ("WEBP", "webp", "image/webp")],
)
def test_jpeg_gif_and_webp_are_kept_too(kind, extension, content_type, author, client):
    response = upload(author, f"photo.{extension}", image_bytes(kind), content_type)
    assert response.status_code == 201
    url = response.json()["image_code"][4:-1]
    assert url.endswith(f".{extension}") and client.get(url)["Content-Type"] == content_type


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><script>fetch('/admin/')</script>"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("drawing.svg", SVG, "image/svg+xml"),
        ("page.png", HTML, "image/png"),  # HTML that claims to be a PNG
        ("page.html", HTML, "text/html"),
        ("cut.png", image_bytes("PNG")[:40], "image/png"),  # a truncated PNG
        ("icon.bmp", image_bytes("BMP"), "image/bmp"),
    ],
)
def test_anything_but_a_real_png_jpeg_gif_or_webp_is_refused_with_a_reason(
    name, data, content_type, author, media_root
):
    response = upload(author, name, data, content_type)
    assert response.status_code == 400
    assert "Only PNG, JPEG, GIF and WebP images can be uploaded" in response.json()["error"]
    assert "SVG and HTML files are refused" in response.json()["error"]
    assert stored(media_root) == []


def test_an_oversized_image_is_refused_before_it_is_stored(author, media_root, settings):
    noise = Image.frombytes("RGB", (1000, 1000), random.Random(1).randbytes(1000 * 1000 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert out.tell() > settings.LESSON_IMAGE_MAX_BYTES == 2 * 1024 * 1024
    response = upload(author, "big.png", out.getvalue(), "image/png")
    assert response.status_code == 400
    assert "an image may be at most 2 MiB" in response.json()["error"]
    assert stored(media_root) == []


def test_an_image_too_large_in_pixels_is_refused(author, media_root, settings):
    settings.LESSON_IMAGE_MAX_SIDE = 100
    response = upload(author, "wide.png", image_bytes("PNG", (101, 1)), "image/png")
    assert response.status_code == 400 and "each side may be at most 100 pixels" in response.json()["error"]
    assert stored(media_root) == []


def test_an_upload_without_a_file_is_refused(author):
    response = author.post(UPLOAD, {}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 400 and response.json()["error"] == "Choose an image to upload."


def test_anonymous_users_and_learners_cannot_upload(client, learner, grader, media_root):
    response = upload(client, "a.png", image_bytes("PNG"), "image/png")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for username in ("learner", "grader"):
        other = Client()
        other.login(username=username, password=PASSWORD)
        assert upload(other, "a.png", image_bytes("PNG"), "image/png").status_code == 403
        assert other.get(UPLOAD).status_code in (403, 405)
    assert stored(media_root) == []


def test_only_our_names_are_served(client, media_root):
    (media_root / "lesson-images").mkdir(parents=True)
    (media_root / "lesson-images" / "notes.html").write_text("<script>x()</script>")
    (media_root / "secret.txt").write_text("secret")
    for url in ("/media/lesson-images/notes.html", "/media/secret.txt", "/media/lesson-images/%2E%2E%2Fsecret.txt"):
        assert client.get(url).status_code == 404, url


def test_the_live_preview_is_sanitized_exactly_as_the_page(author):
    from lessons.markdown import render

    text = '# Title\n\n<script>alert(1)</script><img src="/x.png" onerror="alert(2)">\n\n[a](javascript:alert(3))'
    response = author.post(PREVIEW, {"content": text})
    assert response.status_code == 200
    assert response.text == render(text)
    assert "<script" not in response.text and "onerror" not in response.text and "javascript:" not in response.text
    assert '<img src="/x.png">' in response.text


def test_the_live_preview_refuses_malformed_requests(author, learner):
    assert author.post(PREVIEW, {}).status_code == 400
    assert author.get(PREVIEW).status_code == 405
    learner_client = Client()
    learner_client.login(username="learner", password=PASSWORD)
    assert learner_client.post(PREVIEW, {"content": "# hi"}).status_code == 403


def test_the_markdownx_widget_posts_to_our_guarded_views(settings):
    assert settings.MARKDOWNX_URLS_PATH == PREVIEW
    assert settings.MARKDOWNX_UPLOAD_URLS_PATH == UPLOAD
    assert settings.MARKDOWNX_MARKDOWNIFY_FUNCTION == "lessons.markdown.render"
