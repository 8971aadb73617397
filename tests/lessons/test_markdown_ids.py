"""Lesson markdown cannot take the page's own ids or class names: heading ids are
prefixed (and "#heading" links follow them), and only the renderer's classes survive."""

import re

import pytest
from django.template.loader import render_to_string

from lessons.markdown import render
from tests.conftest import signed_in


def ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_no_heading_takes_an_id_of_the_page_around_it(course, learner):
    exercise = course.exercises.get(slug="flask-hello")
    page = signed_in("learner").get(exercise.get_absolute_url()).text
    page_ids = ids(page.replace(exercise.instructions_html, "")) | ids(render_to_string("base.html"))
    assert {"result", "attempts", "submit-form"} <= page_ids  # what the exercise's script looks up
    headings = "\n\n".join(f"# {name}" for name in ["Main", "content", *sorted(page_ids)])
    rendered = render(headings + '\n\n<h2 id="submit-button">Raw</h2>')
    assert ids(rendered), rendered
    assert not ids(rendered) & page_ids, ids(rendered) & page_ids
    assert '<h1 id="h-main">Main</h1>' in rendered and '<h1 id="h-content">content</h1>' in rendered


def test_a_link_to_a_heading_follows_its_prefixed_id():
    html = render("[TOC]\n\n# Routing basics\n\nSee [above](#routing-basics) and [the result](#result).")
    assert 'id="h-routing-basics"' in html
    assert html.count('href="#h-routing-basics"') == 2  # the table of contents and the link
    # Naming no heading of the text, it may name something on the page: left alone.
    assert 'href="#result"' in html


@pytest.mark.parametrize(
    "markup",
    [
        '<span class="evil">x</span>',
        '<div class="messages author-tools">x</div>',
        '<span class="highlight">x</span>',  # a div's class, not a span's
        '<code class="topbar">x</code>',
    ],
)
def test_class_names_not_made_by_the_renderer_are_dropped(markup):
    html = render(markup)
    assert "class=" not in html, html
    assert "x" in html


def test_the_renderers_own_classes_survive():
    html = render('=== "Flask"\n\n    ```python\n    x = 1\n    ```\n\n=== "Django"\n\n    y\n')
    for name in ("tabbed-set", "tabbed-labels", "tabbed-content", "tabbed-block", "highlight"):
        assert f'class="{name}' in html or f" {name}" in html, name
    assert '<span class="n">x</span>' in html
    assert 'id="__tabbed_1_1"' in html and 'for="__tabbed_1_2"' in html
    assert render('<span class="evil k">x</span>') == '<p><span class="k">x</span></p>'


def test_only_tabs_have_inputs_and_labels_with_ids():
    html = render('<input type="radio" id="submit-button" name="x"><label for="submit-button">L</label>')
    assert "submit-button" not in html and 'name="x"' not in html
