"""In headless Chromium: the error pages (404, 403, a refused form, 500) look like the
site, with its top bar and stylesheet, say what happened, and their way back leads home;
at a phone's width they still fit the screen.

With DUET_SCREENSHOT_DIR set, each page is saved there (desktop and phone widths)."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 1000}


def shoot(page, name: str) -> None:
    folder = os.environ.get("DUET_SCREENSHOT_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=f"{folder}/error-{name}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=f"{folder}/error-{name}-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def check_the_error_page(page, live_server, name: str, heading: str) -> None:
    """In the site's look, saying ``heading``, fitting a phone; its way back leads home."""
    assert page.locator("header.topbar .brand").inner_text() == "Duet"
    # The site's stylesheet is applied: the top bar is dark, the page's box is a card.
    assert page.eval_on_selector("header.topbar", "e => getComputedStyle(e).backgroundColor") == "rgb(20, 26, 46)"
    assert page.eval_on_selector(".error-page", "e => getComputedStyle(e).borderRadius") == "10px"
    assert page.inner_text(".error-page h1") == heading
    page.set_viewport_size(PHONE)
    box = page.locator(".error-page").bounding_box()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and scroll_width <= PHONE["width"]
    shoot(page, name)
    page.click(".ways-back >> text=Go to the courses")
    page.wait_for_url(f"{live_server.url}/")
    assert "Learn Flask and Django, side by side" in page.inner_text("main h1")


def test_an_unknown_address(page, live_server, course):
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    assert page.locator(".ways-back >> text=Log in").is_visible()
    check_the_error_page(page, live_server, "404", "There is no page at this address")


def test_a_page_for_instructors_only(page, live_server, course, learner):
    log_in(page, live_server, "learner")
    response = page.goto(f"{live_server.url}{reverse('lessons:author_home')}")
    assert response.status == 403
    assert "Only instructors may do this." in page.inner_text(".error-page")
    check_the_error_page(page, live_server, "403", "You can't do that here")


def test_a_form_sent_after_its_token_went_stale(page, live_server, course, learner):
    page.goto(f"{live_server.url}{reverse('login')}")
    page.context.clear_cookies()  # as when the session ended while the page stayed open
    page.fill("input[name=username]", "learner")
    page.fill("input[name=password]", "whatever")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Reload the page and try again." in page.inner_text(".error-page [role=alert]")
    check_the_error_page(page, live_server, "403-csrf", "That form could not be accepted")


def test_a_page_that_fails(page, live_server, course, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("a bug in the course page")

    monkeypatch.setattr("lessons.views.course_page", fail)
    response = page.goto(f"{live_server.url}{course.get_absolute_url()}")
    assert response.status == 500
    assert "a bug" not in page.content()
    check_the_error_page(page, live_server, "500", "Something went wrong on Duet's side")
