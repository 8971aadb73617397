"""Every page names the site, never the host it was reached by (Django's LoginView puts
the request's host in its context as ``site_name``, which the top bar also reads)."""

import re


def test_the_login_page_names_the_site_not_the_host(client, db, settings):
    settings.SITE_NAME = "Duet"
    page = client.get("/accounts/login/").content.decode()
    assert re.search(r"<title>[^<]*· Duet</title>", page)
    assert '<a class="brand" href="/">Duet</a>' in page
    assert "testserver" not in page
