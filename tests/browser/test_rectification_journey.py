"""整改 in the browser: the office raises an item on a weak indicator from the
subject's page, the owner uploads a photo and submits it, the office closes it;
the unit's report and the ranking notice download as PDFs along the way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.project.demo_year import demo_photo
from jixiao.rectification.models import ItemStatus, RectificationItem
from tests.browser.conftest import login
from tests.cast import PASSWORD
from tests.reports.factory import unit_quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_weak_indicator_to_closed_item(open_page, shot, cast, tmp_path: Path) -> None:
    quarter = unit_quarter(cast)
    subject_url = f"/assessments/{quarter.assessment.pk}/subjects/{quarter.section.pk}/"

    office = open_page()
    login(office, "office", PASSWORD)
    office.goto("/results/")
    with office.expect_download() as notice:
        office.get_by_role("link", name="打印排名通报（PDF）").first.click()
        office.check("input[name=red][value='1']")
        office.fill("input[name=doc_no]", "白绩办〔2025〕3号")
        shot(office, "reports-notice-options")
        office.get_by_role("button", name="下载 PDF").click()
    saved = tmp_path / "notice.pdf"
    notice.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    office.goto(subject_url)
    office.get_by_role("link", name="薄弱指标整改").click()
    office.wait_for_selector("text=86.67")
    office.select_option("select[name=node]", "indicators.livelihood")
    office.select_option("select[name=owner]", str(cast.head_person.pk))
    office.fill("input[name=deadline]", "2099-06-30")
    office.fill("textarea[name=measures]", "加快民生项目进度")
    shot(office, "rectification-from-subject")
    office.get_by_role("button", name="发起整改").click()
    office.wait_for_selector("text=已发起整改")
    item = RectificationItem.objects.get()

    head = open_page()
    login(head, "head", PASSWORD)
    head.goto(subject_url)
    with head.expect_download() as report:
        head.get_by_role("link", name="下载考核报告（PDF）").click()
    assert report.value.suggested_filename.endswith("经济发展办.pdf")
    head.goto(f"/rectification/{item.pk}/")
    photo = tmp_path / "after.png"
    photo.write_bytes(demo_photo("after", (20, 130, 60)).read())
    head.set_input_files("input[name=files]", str(photo))
    head.get_by_role("button", name="上传", exact=True).click()
    head.wait_for_selector("text=佐证材料已上传")
    head.fill("textarea[name=note]", "民生项目已全部开工")
    head.get_by_role("button", name="提交验收").click()
    head.wait_for_selector("text=已提交验收")
    shot(head, "rectification-submitted")

    office.goto("/rectification/")
    office.get_by_role("link", name=f"#{item.pk}").click()
    office.fill("#r-close", "现场核实，验收合格")
    office.get_by_role("button", name="验收销号").click()
    office.wait_for_selector("text=已验收销号")
    office.goto("/rectification/")
    shot(office, "rectification-list")
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and item.evidence.count() == 1
