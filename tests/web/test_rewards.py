"""奖励分配 pages: the office sets pools and rows, leaders read, others 403/404."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from jixiao.audit.models import AuditEvent
from jixiao.rewards.models import RewardPool, RuleKind, Source
from jixiao.rewards.services import PoolInput, reward_pool_create
from jixiao.years.models import SubjectKind
from jixiao.years.services import year_setup
from tests.rewards.conftest import make_assessment

INDEX = "/rewards/"
READERS = ["office", "leader"]
REFUSED = ["head", "handler", "cadre", "nobody"]


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def year(cast):
    return year_setup(
        actor=cast.office, org=cast.org, year=2024, choices={SubjectKind.PERSON: "town-cadre"}
    )


@pytest.fixture
def final(cast, year):
    return make_assessment(cast, year)


@pytest.fixture
def pool(cast, year, final) -> RewardPool:
    return reward_pool_create(
        actor=cast.office,
        year=year,
        assessment=final,
        data=PoolInput(
            name="2024年度绩效奖励",
            source=Source.COUNTY_MATCHED,
            county_reward="10000",
            county_grade="良",
            rule=RuleKind.CONTRIBUTION,
        ),
    )


def share_of(pool, name):
    return pool.shares.get(subject__person__name=name)


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_list_and_the_table_with_reasons(client, cast, pool, role) -> None:
    c = as_user(client, getattr(cast, role))
    html = c.get(INDEX).content.decode()
    assert "2024年度绩效奖励" in html and "20000.00" in html
    assert 'href="/results/" class="current"' in html  # nav: the 结果 step
    html = c.get(f"{INDEX}{pool.pk}/").content.decode()
    assert "5597.58" in html and "一票否决：安全生产" in html
    assert "<strong>20000.00</strong>" in html  # the total row
    assert ("share_edit" in html) is False
    editable = f'action="/rewards/{pool.pk}/shares/' in html
    assert editable == (role == "office")


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_get_403_everywhere(client, cast, pool, role) -> None:
    c = as_user(client, getattr(cast, role))
    for url in (INDEX, f"{INDEX}{pool.pk}/", f"{INDEX}{pool.pk}/export.xlsx"):
        assert c.get(url).status_code == 403
    assert c.post(f"{INDEX}{pool.pk}/edit/", {"version": 1}).status_code == 403


def test_outsider_gets_404_and_anonymous_is_sent_to_login(client, cast, pool) -> None:
    c = as_user(client, cast.outsider)
    assert "2024年度绩效奖励" not in c.get(INDEX).content.decode()
    for url in (f"{INDEX}{pool.pk}/", f"{INDEX}{pool.pk}/export.xlsx"):
        assert c.get(url).status_code == 404
    share = share_of(pool, "张伟")
    response = c.post(f"{INDEX}{pool.pk}/shares/{share.pk}/", {"version": 1, "contribution": "9"})
    assert response.status_code == 404
    client.logout()
    assert client.get(INDEX).status_code == 302


def test_leader_cannot_edit(client, cast, pool) -> None:
    c = as_user(client, cast.leader)
    share = share_of(pool, "张伟")
    assert c.post(f"{INDEX}{pool.pk}/shares/{share.pk}/", {"version": 1}).status_code == 403
    assert c.post(f"{INDEX}new/", {"year": pool.year_id}).status_code == 403
    pool.refresh_from_db()
    assert pool.version == 1


def test_office_creates_a_pool_from_the_list_page(client, cast, year, final) -> None:
    c = as_user(client, cast.office)
    html = c.get(INDEX).content.decode()
    assert final.name in html and "优秀=1.2" in html
    response = c.post(
        f"{INDEX}new/",
        {
            "year": year.pk,
            "assessment": final.pk,
            "name": "年终绩效奖",
            "source": "entered",
            "entered_amount": "10000",
            "rule": "grade_coefficient",
            "coefficients": "优秀=1.2\n良好 1\n及格：0.8\n\n不及格=0",
        },
    )
    pool = RewardPool.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{INDEX}{pool.pk}/"
    assert pool.coefficients == {"优秀": "1.2", "良好": "1", "及格": "0.8", "不及格": "0"}
    assert share_of(pool, "刘洋").amount == Decimal("2666.67")


def test_bad_create_input_names_the_field_and_saves_nothing(client, cast, year, final) -> None:
    c = as_user(client, cast.office)
    data = {"year": year.pk, "assessment": final.pk, "name": "x", "source": "county_matched"}
    response = c.post(f"{INDEX}new/", data | {"county_reward": "1.234", "county_grade": "良"})
    assert response.status_code == 400
    assert "县级奖励：县级奖励最多两位小数" in response.content.decode()
    response = c.post(
        f"{INDEX}new/",
        data
        | {
            "source": "entered",
            "entered_amount": "1",
            "rule": "grade_coefficient",
            "coefficients": "优秀",
        },
    )
    assert response.status_code == 400 and "第 1 行应写成" in response.content.decode()
    response = c.post(f"{INDEX}new/", data | {"assessment": "999999", "county_reward": "1"})
    assert response.status_code == 400 and "请选择一个已定案的考核" in response.content.decode()
    assert not RewardPool.objects.exists()


def test_office_edits_a_row_and_a_stale_form_gets_a_conflict(client, cast, pool) -> None:
    c = as_user(client, cast.office)
    zhang, liu = share_of(pool, "张伟"), share_of(pool, "刘洋")
    url = f"{INDEX}{pool.pk}/shares/"
    response = c.post(f"{url}{zhang.pk}/", {"version": 1, "contribution": "0"})
    assert response.status_code == 302
    # A second tab still showing version 1 must not overwrite the change.
    response = c.post(f"{url}{liu.pk}/", {"version": 1, "excluded": "on", "note": "调离"})
    assert response.status_code == 409
    assert "第 1 版，现为第 2 版" in response.content.decode()
    pool.refresh_from_db()
    assert pool.version == 2 and not share_of(pool, "刘洋").excluded
    assert share_of(pool, "张伟").amount == Decimal("0.00")
    assert sum(s.amount for s in pool.shares.all()) == Decimal("20000.00")
    response = c.post(f"{url}{liu.pk}/", {"version": 2, "months_ok": "x"})
    assert response.status_code == 400
    assert "刘洋（科员）：合格月数：合格月数应为 0 到 12 的整数" in response.content.decode()
    response = c.post(f"{url}{liu.pk}/", {"version": 2, "excluded": "on"})
    assert response.status_code == 400 and "请填写原因" in response.content.decode()
    assert AuditEvent.objects.filter(action="rewards.share_update").count() == 1


def test_office_changes_the_rule(client, cast, pool) -> None:
    c = as_user(client, cast.office)
    form = {
        "version": 1,
        "name": "2024年度绩效奖励",
        "source": "county_matched",
        "county_reward": "10000",
        "county_grade": "差",
        "rule": "monthly_compliance",
        "compliance_share": "0.1",
    }
    assert c.post(f"{INDEX}{pool.pk}/edit/", form).status_code == 302
    pool.refresh_from_db()
    assert pool.amount == Decimal("0.00") and pool.rule == "monthly_compliance"
    html = c.get(f"{INDEX}{pool.pk}/").content.decode()
    assert "县评估等次为差，不予奖励" in html and 'name="months_ok"' in html
    response = c.post(f"{INDEX}{pool.pk}/edit/", form | {"compliance_share": "2"})
    assert response.status_code == 409  # still version 1 in the form
    response = c.post(f"{INDEX}{pool.pk}/edit/", form | {"version": 2, "compliance_share": "2"})
    assert response.status_code == 400 and "挂钩比例" in response.content.decode()


@pytest.mark.parametrize("role", READERS)
def test_export_for_the_finance_office(client, cast, pool, role) -> None:
    share = share_of(pool, "周敏")
    share.note = "=HYPERLINK(1)"
    share.save()
    response = as_user(client, getattr(cast, role)).get(f"{INDEX}{pool.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "对象", "总分") and rows[0][8] == "金额（元）"
    assert rows[1][1] == "李建国（党委副书记）" and rows[1][8] == pytest.approx(5597.58)
    assert rows[4][7] == "否" and rows[4][9] == "一票否决：安全生产"
    assert rows[-1][1] == "合计" and rows[-1][8] == 20000


def test_export_neutralises_formulas(client, cast, year, final) -> None:
    person = final.subjects.get(person__name="周敏").person
    person.name, person.post = "=1+2", ""
    person.save()
    pool = reward_pool_create(
        actor=cast.office,
        year=year,
        assessment=final,
        data=PoolInput(name="@x", source="entered", entered_amount="1", rule="contribution"),
    )
    response = as_user(client, cast.office).get(f"{INDEX}{pool.pk}/export.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    labels = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert "'=1+2" in labels and "=1+2" not in labels
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_list_and_detail_query_counts(client, cast, pool, django_assert_max_num_queries) -> None:
    c = as_user(client, cast.leader)
    with django_assert_max_num_queries(12):
        assert c.get(INDEX).status_code == 200
    with django_assert_max_num_queries(12):
        assert c.get(f"{INDEX}{pool.pk}/").status_code == 200


def test_weights_and_contributions_are_shown_plainly(client, cast, pool) -> None:
    c = as_user(client, cast.office)
    zhang = share_of(pool, "张伟")
    c.post(f"{INDEX}{pool.pk}/shares/{zhang.pk}/", {"version": 1, "contribution": "10"})
    html = c.get(f"{INDEX}{pool.pk}/").content.decode()
    assert 'class="num">10</td>' in html and "1E+1" not in html  # not Decimal.normalize()
    assert 'name="contribution" style="width:6rem" inputmode="decimal" value="10"' in html
    assert 'class="num">92.5</td>' in html
