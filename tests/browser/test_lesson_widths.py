"""In headless Chromium, at a phone's width: no lesson of the shipped course is wider
than the screen. A table wider than a phone scrolls sideways in its own box (which a
keyboard can focus), not by widening the whole page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# What sticks out past the screen's right edge, but not inside a box that scrolls or clips.
WIDER_THAN_THE_SCREEN = """
Array.from(document.querySelectorAll("body *")).filter(e => {
  if (e.getBoundingClientRect().right <= document.documentElement.clientWidth + 1) return false;
  for (let up = e.parentElement; up && up !== document.body; up = up.parentElement)
    if (getComputedStyle(up).overflowX !== "visible") return false;
  return true;
}).slice(0, 5).map(e => `<${e.tagName.toLowerCase()} class="${e.className}"> ${(e.textContent || "").trim().slice(0, 60)}`)
"""


def test_every_lesson_fits_a_phone_and_its_wide_tables_scroll_in_their_own_box(page, live_server, learner, course):
    log_in(page, live_server, "learner")
    page.set_viewport_size(PHONE)
    scrolling_tables = 0
    for lesson in course.lessons.filter(published=True):
        page.goto(f"{live_server.url}{lesson.get_absolute_url()}")
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        wide = page.evaluate(WIDER_THAN_THE_SCREEN) if width[0] > width[1] else []
        assert width[0] <= width[1], f"{lesson.slug} is {width[0]} px wide on a {width[1]} px screen: {wide}"
        boxes = page.evaluate(
            "Array.from(document.querySelectorAll('.prose table')).map(t => {"
            " const box = t.closest('.table-scroll');"
            " return box && [box.scrollWidth > box.clientWidth, box.tabIndex, box.getAttribute('aria-label')]; })"
        )
        for box in boxes:
            assert box is not None, f"{lesson.slug}: a table outside a scrolling box"
            assert box[1] == 0 and box[2], f"{lesson.slug}: a table's box that a keyboard cannot reach"
            scrolling_tables += box[0]
    assert scrolling_tables, "no table of the course is wider than a phone: this test would prove nothing"
