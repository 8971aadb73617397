"""Hidden tests for "An attachments page" (Flask and Django).

Black box, over HTTP: the page at /attachments/ takes a PNG, JPEG or PDF of at most
1 MiB (1,048,576 bytes), decided by the file's first bytes, never by its name or the
Content-Type the client sent; it lists each file under its original name, escaped;
/attachments/<id>/ sends the file back as an attachment with nosniff, whatever name it
was uploaded under."""

import re
import struct
import zlib
from email.message import Message

from duet_harness.html import find_form, links, page_text

LIMIT = 1024 * 1024
WRONG_TYPE = "PNG, JPEG or PDF"
NO_FILE = "Choose a file"
ATTACHMENT_LINK = re.compile(r"^/attachments/[^/]+/$")


def _png(extra: bytes = b"") -> bytes:
    """A real 1x1 PNG, with ``extra`` in a text chunk to make each one different."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + extra)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!doctype html><title>hi</title><script>alert(document.cookie)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def _of_size(size: int) -> bytes:
    """A PNG signature followed by padding, exactly ``size`` bytes long."""
    head = b"\x89PNG\r\n\x1a\n"
    return head + b"\x00" * (size - len(head))


def _attachment_links(client) -> set[str]:
    page = client.get("/attachments/")
    assert page.status_code == 200, f"GET /attachments/ answered {page.status_code}, expected 200."
    return {link for link in links(page.text) if ATTACHMENT_LINK.match(link)}


def _upload(client, name: str, data: bytes, content_type: str):
    """Post one file the way the page's form does: its hidden fields (a CSRF token) and the file as ``file``."""
    page = client.get("/attachments/")
    form = find_form(page.text)
    assert form is not None, "GET /attachments/ has no form to upload a file."
    fields = {**form.fields, **form.hidden}
    fields.pop("file", None)
    return client.post("/attachments/", data=fields, files={"file": (name, data, content_type)}, allow_redirects=False)


def _upload_ok(client, name: str, data: bytes, content_type: str) -> str:
    """Upload a file that must be accepted; return the link to its download."""
    before = _attachment_links(client)
    response = _upload(client, name, data, content_type)
    assert response.status_code in (302, 303), (
        f"Uploading {name!r} ({len(data):,} bytes, a real {content_type} file) answered {response.status_code}, "
        f"expected a redirect (303 or 302) back to /attachments/. If it was a 500, the app's log says why."
    )
    new = _attachment_links(client) - before
    assert len(new) == 1, (
        f"After uploading {name!r}, /attachments/ should list one more link of the form /attachments/<id>/; "
        f"it gained {len(new)}: {sorted(new)}."
    )
    return new.pop()


def _refused(client, name: str, data: bytes, content_type: str, status: int, why: str):
    before = _attachment_links(client)
    response = _upload(client, name, data, content_type)
    assert response.status_code == status, (
        f"Uploading {name!r} ({len(data):,} bytes, sent as {content_type}) answered {response.status_code}, "
        f"expected {status}: {why}"
    )
    after = _attachment_links(client)
    assert after == before, f"Uploading {name!r} was refused, yet /attachments/ now lists {sorted(after - before)}."
    return response


def _disposition(response) -> tuple[str, str | None]:
    header = response.headers.get("Content-Disposition", "")
    message = Message()
    message["Content-Disposition"] = header
    return (message.get_content_disposition() or ""), message.get_filename()


def _download(client, link: str, name: str, data: bytes, types: tuple[str, ...]):
    response = client.get(link)
    if response.history:
        assert response.status_code == 200, (
            f"GET {link} (the file uploaded as {name!r}) redirected to {response.url}, which answered "
            f"{response.status_code}. With DEBUG off nothing serves MEDIA_URL or an uploads folder (static() adds no "
            f"URL): send the file from the download view itself."
        )
    assert response.status_code == 200, f"GET {link} (the file uploaded as {name!r}) answered {response.status_code}."
    assert response.content == data, (
        f"GET {link} sent {len(response.content):,} bytes that are not the file uploaded as {name!r} "
        f"({len(data):,} bytes). Did a later upload overwrite it? Store each file under a name the server makes "
        f"(uuid.uuid4().hex), never under the name the client sent."
    )
    kind, _ = _disposition(response)
    assert kind == "attachment", (
        f"GET {link} answered with Content-Disposition {response.headers.get('Content-Disposition')!r}; expected "
        f"'attachment; filename=...', so that the browser saves the file instead of showing it from your site."
    )
    nosniff = response.headers.get("X-Content-Type-Options", "")
    assert nosniff.lower() == "nosniff", (
        f"GET {link} answered with X-Content-Type-Options {nosniff or None!r}; expected 'nosniff', so that no "
        f"browser guesses a type other than the one you send."
    )
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    allowed = (*types, "application/octet-stream")
    assert content_type in allowed, (
        f"GET {link} answered with Content-Type {content_type!r}; expected one of {', '.join(allowed)}: the type "
        f"found in the file's first bytes, or octet-stream."
    )
    return response


def test_a_png_a_jpeg_and_a_pdf_are_accepted_and_sent_back(client, framework):
    """A PNG, a JPEG and a PDF are each accepted, listed, and downloaded back byte for byte as attachments"""
    for name, data, kind in (
        ("photo.png", _png(b"one"), "image/png"),
        ("holiday.jpg", JPEG, "image/jpeg"),
        ("Scan 2026.pdf", PDF, "application/pdf"),
    ):
        link = _upload_ok(client, name, data, kind)
        response = _download(client, link, name, data, (kind,))
        _, filename = _disposition(response)
        assert filename == name, (
            f"GET {link} answered with Content-Disposition {response.headers.get('Content-Disposition')!r}; expected "
            f"the original name, {name!r}, as its filename, so that the browser saves it under that name."
        )


def test_html_named_png_and_svg_named_jpg_are_refused(client, framework):
    """An HTML file called .png and an SVG called .jpg, sent with image types, are refused with 400 and a message"""
    advice = (
        "Decide the type from the file's first bytes (PNG starts with b'\\x89PNG\\r\\n\\x1a\\n', JPEG with "
        "b'\\xff\\xd8\\xff', PDF with b'%PDF-'), never from its name or the Content-Type the client sent."
    )
    for name, data, kind in (("cat.png", HTML, "image/png"), ("cat.jpg", SVG, "image/jpeg")):
        response = _refused(client, name, data, kind, 400, advice)
        assert WRONG_TYPE in page_text(response.text), (
            f"Uploading {name!r} (really {'HTML' if data is HTML else 'SVG'}) was refused, but the page does not say "
            f"what is accepted; expected 'Only PNG, JPEG or PDF files are accepted.'"
        )


def test_a_file_of_exactly_one_mebibyte_is_accepted(client, framework):
    """A PNG of exactly 1,048,576 bytes is accepted and downloaded back whole"""
    data = _of_size(LIMIT)
    before = _attachment_links(client)
    response = _upload(client, "big.png", data, "image/png")
    assert response.status_code in (302, 303), (
        f"Uploading a PNG of exactly {LIMIT:,} bytes (the limit) answered {response.status_code}, expected a redirect: "
        f"the limit is 'at most 1 MiB', so this file is allowed. {_limit_advice(framework)}"
    )
    new = _attachment_links(client) - before
    assert len(new) == 1, f"After uploading a {LIMIT:,}-byte PNG, /attachments/ lists {len(new)} new links, expected 1."
    _download(client, new.pop(), "big.png", data, ("image/png",))


def test_one_byte_more_is_refused_with_413(client, framework):
    """A PNG of 1,048,577 bytes, and one of 3 MiB, are refused with 413 and not stored"""
    for size in (LIMIT + 1, 3 * LIMIT):
        _refused(
            client,
            "too-big.png",
            _of_size(size),
            "image/png",
            413,
            f"a file of {size:,} bytes is over the limit of {LIMIT:,}. {_limit_advice(framework)}",
        )


def _limit_advice(framework: str) -> str:
    if framework == "flask":
        return (
            "MAX_CONTENT_LENGTH counts the whole request body (the form's other fields and the multipart "
            "boundaries too), so set it a little above the limit and check the file's own size in the view: read "
            "at most LIMIT + 1 bytes and refuse the file when you got more than LIMIT (>, not >=)."
        )
    return (
        "Django has no setting that limits a file's size (FILE_UPLOAD_MAX_MEMORY_SIZE only decides between memory "
        "and a temporary file; DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out): refuse the file when upload.size is "
        "more than the limit (>, not >=)."
    )


def test_no_file_is_refused(client, framework):
    """A post with a file part whose name is empty (no file chosen) is refused with 400 and a message"""
    response = _refused(client, "", b"", "application/octet-stream", 400, "no file was chosen.")
    assert NO_FILE in page_text(response.text), (
        "A post without a file was refused, but the page does not say so; expected 'Choose a file to upload.'"
    )


def test_dangerous_names_are_stored_safely(client, framework):
    """Files named ../../app.py, ..\\..\\x.png and ../../../../../../etc/duet-x.png are accepted and each comes back intact"""
    for index, name in enumerate(("../../app.py", "..\\..\\x.png", "../../../../../../etc/duet-x.png")):
        data = _png(f"dangerous {index}".encode())
        link = _upload_ok(client, name, data, "image/png")
        _download(client, link, name, data, ("image/png",))
    assert client.get("/attachments/").status_code == 200, "After the uploads, GET /attachments/ no longer answers 200."


def test_two_files_with_the_same_name_are_both_kept(client, framework):
    """Two different PNGs both called report.png are listed twice and each download sends its own bytes"""
    first, second = _png(b"first report"), _png(b"second report")
    one = _upload_ok(client, "report.png", first, "image/png")
    two = _upload_ok(client, "report.png", second, "image/png")
    assert one != two, f"Both uploads called 'report.png' link to {one}."
    _download(client, one, "report.png (the first)", first, ("image/png",))
    _download(client, two, "report.png (the second)", second, ("image/png",))


def test_the_original_name_is_shown_escaped(client, framework):
    """A file named <img src=x onerror=alert(1)>.png is listed under that name, as text, not as HTML"""
    name = "<img src=x onerror=alert(1)>.png"
    _upload_ok(client, name, _png(b"escaped"), "image/png")
    page = client.get("/attachments/")
    assert "<img src=x onerror=alert(1)>" not in page.text, (
        "GET /attachments/ contains the uploaded name <img src=x onerror=alert(1)> as raw HTML: a browser runs "
        "it. Let the template escape it (no |safe, no Markup)."
    )
    assert name in page_text(page.text), (
        f"GET /attachments/ does not show the original name {name!r} as text; list each file under the name it "
        f"was uploaded with (escaped by the template), not a cleaned-up one."
    )


def test_an_unknown_id_is_404(client, framework):
    """GET /attachments/999999/ and /attachments/nope/ answer 404"""
    for link in ("/attachments/999999/", "/attachments/nope/"):
        response = client.get(link)
        assert response.status_code == 404, (
            f"GET {link} (no such attachment) answered {response.status_code}, expected 404."
        )
