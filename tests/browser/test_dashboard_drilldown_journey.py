"""A leader explains a score from the dashboard down to a site photo; the public board.

Starts from the demo (白莲镇 2026: Q1 final, Q2 under notice) with a photo attached to
the 20 April inspection of 综治办, which the Q2 breakdown cites:

leader logs in → overview (ECharts draws on a canvas) → clicks 综治办's total →
the breakdown tree with the ledger reference → the photo itself; then an anonymous
visitor opens the public notice board: Q1 and Q2 only, an unpublished period is a 404.
"""

from __future__ import annotations

from datetime import date

import pytest

from jixiao.assessments.models import Subject
from jixiao.evidence.models import Evidence
from jixiao.inspections.models import Inspection
from jixiao.project.demo_data import demo_load
from jixiao.project.demo_year import demo_photo
from jixiao.years.models import Period
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-mima-2026"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_load(password=PASSWORD)
    inspection = Inspection.objects.get(unit__code="zzb", date=date(2026, 4, 20))
    photo = demo_photo("zzb-0420.png", (120, 90, 60))
    evidence = Evidence.objects.create(
        org=inspection.org,
        file=photo,
        original_name="综治办台账.png",
        content_type="image/png",
        size=photo.size,
        caption="4月20日台账照片",
    )
    inspection.evidence.add(evidence)
    return evidence


def test_leader_drills_down_from_the_overview_to_a_photo(open_page, shot, demo) -> None:
    page = open_page()
    login(page, "leader", PASSWORD)
    page.goto("/dashboards/")
    page.wait_for_selector("[data-chart=ranking] canvas")
    assert page.locator("[data-chart=ranking] canvas").count() >= 1
    assert page.locator("h1").inner_text().startswith("绩效看板")
    shot(page, "dashboard-01-overview")

    subject = Subject.objects.get(
        unit__code="zzb", assessment__period__kind="quarter", assessment__period__number=2
    )
    row = page.locator("#board-unit tr", has_text="综治办")
    score = row.locator("a.score")
    assert score.inner_text() == str(subject.total)
    score.click()
    page.wait_for_url(f"**/dashboards/subjects/{subject.pk}/")
    heading = page.locator("h1").inner_text()
    assert f"为什么是 {subject.total} 分" in heading and "综治办" in heading
    tree = page.locator(".tree")
    assert "察访核验" in tree.inner_text() and "矛盾纠纷排查台账缺3月记录" in tree.inner_text()
    shot(page, "dashboard-02-why")

    link = page.locator("a.evidence-file", has_text="4月20日台账照片")
    with page.expect_response(f"**/evidence/{demo.pk}/view/") as response:
        link.click()
    assert response.value.status == 200
    assert response.value.headers["content-type"] == "image/png"

    page.goto(f"/dashboards/units/{subject.unit_id}/")
    for chart in ("line", "radar", "deductions"):
        page.wait_for_selector(f"[data-chart={chart}] canvas")
    # The tables fold away once the charts are drawn; they stay in the page.
    assert page.locator("#trend details.chart-table").get_attribute("open") is None
    shot(page, "dashboard-03-unit")


def test_public_board_shows_published_periods_only(open_page, shot, demo) -> None:
    page = open_page()
    response = page.goto("/public/bailian/")
    assert response.status == 200
    periods = page.locator("nav.periods").inner_text()
    assert "第一季度" in periods and "第二季度" in periods and "第三季度" not in periods
    assert page.locator("table").count() >= 1
    assert "综治办" in page.locator("main").inner_text()
    assert page.locator("text=退出登录").count() == 0
    shot(page, "dashboard-04-public")
    page.emulate_media(media="print")
    shot(page, "dashboard-05-public-print")

    q3 = Period.objects.get(year__org__code="bailian", kind="quarter", number=3)
    assert page.goto(f"/public/bailian/periods/{q3.pk}/").status == 404
