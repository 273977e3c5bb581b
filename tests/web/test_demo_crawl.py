"""Crawl the demo as every login (and anonymously): no link a user can follow is a 5xx.

Breadth-first from ``/`` over every internal link (``href`` or ``hx-get``) a
page shows, through redirects, the least-visited kind of page first (a URL's
kind is its path with the numbers blanked out), so the cap is spent on every
feature rather than on the hundredth subject of one assessment. Links that
leave the app's pages are skipped: logout, static files, Django's admin (its
own tests) and the language switch (a POST form). A path is visited with at
most ``VARIANTS`` query strings so filters and page numbers do not multiply
the crawl, and each user stops after ``MAX_PAGES`` pages.
"""

from __future__ import annotations

import heapq
import html
import re
from collections import Counter
from itertools import count
from urllib.parse import urlsplit

import pytest
from django.test import Client

from jixiao.project.demo_data import DEMO_USERS, demo_load

pytestmark = pytest.mark.django_db

PASSWORD = "yanshi-mima-1"
MAX_PAGES = 400
VARIANTS = 3
SKIP = ("/accounts/logout/", "/static/", "/admin/", "/i18n/")
ALLOWED = {200, 302, 403, 404}
LINK = re.compile(r"""(?:href|hx-get)\s*=\s*["'](/[^"'#]*)""")
NUMBER = re.compile(r"\d+")


def _links(body: str) -> list[str]:
    return [html.unescape(m) for m in LINK.findall(body)]


def crawl(client: Client, starts: list[str]) -> dict[str, int]:
    """Every URL reached and its status code."""
    seen: dict[str, int] = {}
    variants: dict[str, set[str]] = {}
    kinds: Counter[str] = Counter()  # pages visited per kind
    order = count()
    queue: list[tuple[int, int, str]] = []

    def push(url: str) -> None:
        kind = NUMBER.sub("#", urlsplit(url).path)
        heapq.heappush(queue, (kinds[kind], next(order), url))

    for url in starts:
        push(url)
    while queue and len(seen) < MAX_PAGES:
        visits, _order, url = heapq.heappop(queue)
        if url in seen or url.startswith(SKIP):
            continue
        parts = urlsplit(url)
        kind = NUMBER.sub("#", parts.path)
        if kinds[kind] > visits:  # its kind was visited since it was queued: requeue
            push(url)
            continue
        queries = variants.setdefault(parts.path, set())
        if parts.query not in queries and len(queries) >= VARIANTS:
            continue
        queries.add(parts.query)
        kinds[kind] += 1
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            push(response["Location"])
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            body = b"".join(response) if response.streaming else response.content
            for link in _links(body.decode("utf-8", "replace")):
                if link not in seen:
                    push(link)
    return seen


def _bad(seen: dict[str, int]) -> dict[str, int]:
    return {url: code for url, code in seen.items() if code not in ALLOWED}


@pytest.fixture
def demo() -> None:
    demo_load(password=PASSWORD)


@pytest.mark.parametrize("username", [u.username for u in DEMO_USERS])
def test_every_page_a_demo_login_reaches_answers(client: Client, demo, username: str) -> None:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, username
    seen = crawl(client, ["/"])
    assert _bad(seen) == {}
    # A real crawl, not a login page: the user reached well beyond the home page.
    assert sum(code == 200 for code in seen.values()) > 10, seen


def test_the_public_pages_answer_anonymously(client: Client, demo) -> None:
    seen = crawl(client, ["/public/bailian/", "/public/hami-jt/", "/s/"])
    assert _bad(seen) == {}
    assert seen["/public/bailian/"] == 200
    # Anonymous visitors never get past the login page into the app.
    reached = {urlsplit(url).path for url, code in seen.items() if code == 200}
    assert all(path.startswith(("/public/", "/s/", "/accounts/login/")) for path in reached)
