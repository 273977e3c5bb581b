"""Where people find the pages no step of the year leads to: peer ballots, public appraisal."""

import pytest

from jixiao.years.services import year_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(cast):
    return year_setup(actor=cast.office, org=cast.org, year=2026, choices={"unit": "bailian-town"})


@pytest.mark.parametrize("page", ["/", "/assessments/"])
def test_office_finds_public_appraisal_and_ballots(client, cast, year, page):
    client.force_login(cast.office)
    body = client.get(page).content.decode()
    assert 'href="/appraisal/"' in body
    assert 'href="/ballots/"' in body


@pytest.mark.parametrize("page", ["/", "/assessments/"])
def test_others_find_their_ballots_but_not_the_office_appraisal(client, cast, year, page):
    client.force_login(cast.handler)
    response = client.get(page)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/ballots/"' in body
    assert 'href="/appraisal/"' not in body
    # The link would be a dead end for them: the appraisal pages are the office's.
    assert client.get("/appraisal/").status_code == 403


def test_home_links_rectification_for_everyone_with_a_year(client, cast, year):
    client.force_login(cast.cadre)
    assert 'href="/rectification/"' in client.get("/").content.decode()
