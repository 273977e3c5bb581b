"""Evidence downloads: only for those who may see the report, always as attachments."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse

from jixiao.evidence.services import evidence_store
from jixiao.progress.services import report_submit
from tests.evidence import files
from tests.progress.helpers import dekad
from tests.targets.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(cast) -> World:
    return build_world(cast)


@pytest.fixture
def report(cast, world):
    return report_submit(
        actor=cast.handler,
        target=world.a01,
        period=dekad(world.year, 3, 1),
        reporter=cast.handler_person,
        value=Decimal("1"),
        narrative="进展",
        uploads=[files.upload("工地照片.jpg", files.JPEG), files.upload("台账.pdf", files.PDF)],
    )


def _files(report):
    photo = report.evidence.get(content_type="image/jpeg")
    pdf = report.evidence.get(content_type="application/pdf")
    return photo, pdf


def test_download_is_an_attachment_with_the_original_name(client, cast, report):
    photo, _pdf = _files(report)
    client.force_login(cast.head)
    response = client.get(reverse("evidence:download", args=[photo.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('工地照片.jpg')}" in disposition


def test_images_may_be_shown_inline_but_sandboxed_and_nothing_else_is(client, cast, report):
    photo, pdf = _files(report)
    client.force_login(cast.handler)
    response = client.get(reverse("evidence:inline", args=[photo.pk]))
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"].startswith("sandbox")
    response = client.get(reverse("evidence:inline", args=[pdf.pk]))
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("who", ["office", "leader", "head", "handler"])
def test_people_who_see_the_target_may_download(client, cast, report, who):
    photo, _pdf = _files(report)
    client.force_login(getattr(cast, who))
    assert client.get(reverse("evidence:download", args=[photo.pk])).status_code == 200


@pytest.mark.parametrize("who", ["cadre", "outsider"])
def test_others_get_404(client, cast, report, who):
    photo, _pdf = _files(report)
    client.force_login(getattr(cast, who))
    assert client.get(reverse("evidence:download", args=[photo.pk])).status_code == 404
    assert client.get(reverse("evidence:inline", args=[photo.pk])).status_code == 404


def test_nobody_gets_403_and_anonymous_is_sent_to_login(client, cast, report):
    photo, _pdf = _files(report)
    url = reverse("evidence:download", args=[photo.pk])
    assert client.get(url).status_code == 302
    client.force_login(cast.nobody)
    assert client.get(url).status_code == 403


def test_unattached_evidence_is_readable_by_its_uploader_only(client, cast, world):
    loose = evidence_store(actor=cast.cadre, org=cast.org, upload=files.upload("a.png", files.PNG))
    url = reverse("evidence:download", args=[loose.pk])
    client.force_login(cast.cadre)
    assert client.get(url).status_code == 200
    client.force_login(cast.head)
    assert client.get(url).status_code == 404
