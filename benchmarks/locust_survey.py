"""Load test of the public answer page (公众评议): open a code's page, answer, see thanks.

Each simulated respondent takes a fresh code from the file ``SURVEY_CODES``
(default ``codes.txt``; one code a line, see ``jixiao manage appraisal_codes``),
opens /s/<code>/, answers every question and posts the form with its CSRF
token, then follows the redirect to the thank-you page. One task = one stored
response, so the "POST /s/[code]/" row of the statistics counts responses.
Stops when the codes run out. See benchmarks/README.md for the command and
the figures measured.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task
from locust.exception import StopUser

CODES = iter(
    line.strip()
    for line in Path(os.environ.get("SURVEY_CODES", "codes.txt")).read_text().splitlines()
    if line.strip()
)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def answers(html: str) -> dict[str, object]:
    """A plausible answer for every question on the page (radio 1–5, options by index)."""
    values: dict[str, list[str]] = {}
    for match in re.finditer(r'<input type="(radio|checkbox)" name="(q\d+)" value="(\d+)"', html):
        values.setdefault(match.group(2), []).append(match.group(3))
    form: dict[str, object] = {}
    for name, options in values.items():
        if set(options) == {"1", "2", "3", "4", "5"}:
            form[name] = random.choices("54321", weights=(35, 40, 15, 7, 3))[0]
        else:
            form[name] = random.choice(options)
    for name in re.findall(r'<textarea name="(q\d+)"', html):
        if random.random() < 0.2:
            form[name] = "希望道路修得再快一些"
    return form


class Respondent(HttpUser):
    # A person needs a while to read and tick; the page itself is what is measured.
    wait_time = between(0.5, 1.5)

    @task
    def answer_once(self) -> None:
        try:
            code = next(CODES)
        except StopIteration:
            raise StopUser() from None
        page = self.client.get(f"/s/{code}/", name="GET /s/[code]/")
        token = TOKEN.search(page.text)
        if page.status_code != 200 or token is None:
            return  # counted as a failure by the status check above
        form = {**answers(page.text), "csrfmiddlewaretoken": token.group(1)}
        with self.client.post(
            f"/s/{code}/",
            data=form,
            name="POST /s/[code]/",
            headers={"Referer": f"{self.host}/s/{code}/"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and response.headers["Location"].endswith("/s/thanks/"):
                response.success()
            else:
                response.failure(f"not stored: HTTP {response.status_code}")
                return
        self.client.get("/s/thanks/", name="GET /s/thanks/")
