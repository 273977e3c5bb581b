"""审计日志: the office reads its organisation's log; filters, pages, export; no ballots."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from jixiao.appraisal.services import round_close
from jixiao.audit.models import AuditEvent
from jixiao.audit.services import audit_record
from jixiao.ballots.services import ballot_round_close, ballot_submit
from jixiao.organisation.services import unit_update
from tests.appraisal.respondent_world import build_respondent_world
from tests.appraisal.test_results import answer_case
from tests.ballots.world import build_ballot_world

pytestmark = pytest.mark.django_db

URL = "/audit/"
EXPORT = "/exports/audit.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get(client: Client, user, url: str = URL, status: int = 200, **headers) -> str:
    client.force_login(user)
    response = client.get(url, headers=headers)
    assert response.status_code == status
    return response.content.decode()


@pytest.fixture
def log(cast):
    """A renamed village (a real service change) and two events of another township."""
    AuditEvent.objects.all().delete()  # the cast's own role grants
    unit_update(actor=cast.office, unit=cast.village, name="白莲社区")
    audit_record(
        actor=cast.leader,
        action="target.create",
        object_type="targets.target",
        object_id="7",
        org=cast.org,
        summary='=HYPERLINK("http://x")新建目标',
        after={"code": "A01"},
    )
    for _ in range(2):
        audit_record(
            actor=cast.outsider,
            action="secret.action",
            object_type="organisation.unit",
            org=cast.other_org,
            summary="杨河乡的修改",
        )


def test_the_office_reads_the_log(client, cast, log) -> None:
    page = get(client, cast.office)
    assert "审计日志" in page
    assert "修改单位 v01：name" in page
    assert "王芳" in page and "李建国" in page  # actors by name
    assert "<del>白莲村</del>" in page and "<ins>白莲社区</ins>" in page  # the diff
    assert "secret.action" not in page and "杨河乡的修改" not in page
    assert '<a href="/org/" class="current">组织</a>' in page  # the 组织 step


def test_actions_are_shown_by_their_chinese_names(client, cast, log) -> None:
    audit_record(actor=cast.office, action="old.code", object_type="x", org=cast.org)
    page = get(client, cast.office)
    assert '<span title="unit.update">修改单位</span>' in page
    assert '<span title="target.create">新建目标</span>' in page
    assert '<span title="old.code">old.code</span>' in page  # a code without a name, as is
    # The filter offers the names, sorted by name, and sends the codes.
    assert (
        '<option value="old.code">old.code</option>'
        '<option value="unit.update">修改单位</option>'
        '<option value="target.create">新建目标</option>'
    ) in page
    assert "secret.action" not in page  # another township's codes are not offered


@pytest.mark.parametrize("who", ["leader", "head", "handler", "cadre", "nobody"])
def test_others_may_not(client, cast, log, who) -> None:
    get(client, getattr(cast, who), status=403)
    get(client, getattr(cast, who), EXPORT, status=403)


def test_another_townships_office_sees_only_its_own_log(client, cast, log) -> None:
    page = get(client, cast.outsider)
    assert "杨河乡的修改" in page
    assert "修改单位 v01" not in page and "http://x" not in page and "李建国" not in page


def test_the_org_tabs_link_to_the_log_for_the_office_only(client, cast) -> None:
    assert 'href="/audit/"' in get(client, cast.office, "/org/")
    assert 'href="/audit/"' not in get(client, cast.leader, "/org/")


def test_filters_and_the_htmx_partial(client, cast, log) -> None:
    page = get(client, cast.office, f"{URL}?action=target.create")
    assert "http://x" in page and "修改单位 v01" not in page
    assert '<option value="target.create" selected>新建目标</option>' in page
    page = get(client, cast.office, f"{URL}?actor={cast.office.pk}")
    assert "修改单位 v01" in page and "http://x" not in page
    page = get(client, cast.office, f"{URL}?object_type=organisation.unit&q=单位")
    assert "修改单位 v01" in page and "http://x" not in page
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = get(client, cast.office, f"{URL}?from={tomorrow}")
    assert "没有符合条件的审计记录" in page
    page = get(client, cast.office, f"{URL}?to=2026-02-30")
    assert "结束日期应为日期" in page and "修改单位 v01" in page  # named, and ignored
    partial = get(client, cast.office, f"{URL}?q=目标", HX_Request="true", HX_Target="events")
    assert partial.lstrip().startswith('<div id="events"')
    assert "<html" not in partial and "http://x" in partial and "修改单位 v01" not in partial
    assert f"{EXPORT}?q=%E7%9B%AE%E6%A0%87" in partial  # the export keeps the filter
    # The org tabs' htmx links swap <main> and get the whole page.
    assert "<html" in get(client, cast.office, URL, HX_Request="true", HX_Target="main")


def test_pages_of_fifty_in_a_bounded_number_of_queries(
    client, cast, log, django_assert_max_num_queries
) -> None:
    users = [cast.office, cast.leader, cast.head, cast.handler]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=users[n % 4],
            org=cast.org,
            action=f"bulk.{n % 5}",
            object_type="organisation.unit",
            object_id=str(n),
            summary=f"批量事件 {n:03d}",
            before={"n": n},
            after={"n": n + 1},
        )
        for n in range(150)
    )
    client.force_login(cast.office)
    with django_assert_max_num_queries(12):
        first = client.get(URL).content.decode()
    with django_assert_max_num_queries(12):
        last = client.get(f"{URL}?page=4").content.decode()
    assert first.count("<details>") == 50 and "第 1 / 4 页" in first
    assert 'href="/audit/?page=2" hx-get="/audit/?page=2"' in first
    # 152 events: the last page holds the two oldest, the fixture's own.
    assert "第 4 / 4 页" in last and last.count("<details>") == 2
    assert "批量事件" not in last and "修改单位 v01" in last


def test_export_follows_the_filters_and_neutralises_formulas(client, cast, log) -> None:
    client.force_login(cast.office)
    response = client.get(EXPORT)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("时间", "操作人", "操作", "操作代码", "对象类型", "对象", "摘要", "修改内容")
    assert len(rows) == 3  # the other township's two events are not in the file
    target = next(row for row in rows[1:] if row[3] == "target.create")
    assert target[2] == "新建目标"  # the readable name, the code beside it
    assert target[1] == "李建国" and target[5] == "7"
    assert target[6] == '\'=HYPERLINK("http://x")新建目标'  # stored as text, not a formula
    assert target[7] == "code: — → A01"
    datetime.strptime(target[0], "%Y-%m-%d %H:%M:%S")  # local time as text
    unit = next(row for row in rows[1:] if row[3] == "unit.update")
    assert unit[2] == "修改单位"
    assert unit[4] == "单位" and "name: 白莲村 → 白莲社区" in unit[7]
    filtered = client.get(f"{EXPORT}?action=unit.update")
    rows = list(load_workbook(io.BytesIO(filtered.content)).active.iter_rows(values_only=True))
    assert [row[3] for row in rows[1:]] == ["unit.update"]


# --- nothing of a ballot or a survey answer reaches the log ---------------------------------


def _round_level_only(client, cast, before: set[int], actions: set[str]) -> None:
    events = AuditEvent.objects.filter(org=cast.org)
    assert set(events.values_list("pk", flat=True)) == before  # voting recorded nothing
    page = get(client, cast.office)
    assert actions <= set(events.values_list("action", flat=True))
    for action in actions:
        assert action in page


def test_a_cast_ballot_leaves_no_trace_in_the_log(client, cast) -> None:
    world = build_ballot_world(cast)
    before = set(AuditEvent.objects.filter(org=cast.org).values_list("pk", flat=True))
    for user, me in ((cast.cadre, "cadre"), (cast.head, "head")):
        choices = {s.pk: "excellent" for key, s in world.subjects.items() if key != me}
        assert ballot_submit(rater=user, ballot_round=world.round, choices=choices)
    _round_level_only(client, cast, before, {"ballot_round.open"})
    ballot_round_close(actor=cast.office, ballot_round=world.round)
    closing = AuditEvent.objects.filter(org=cast.org).exclude(pk__in=before)
    assert list(closing.values_list("action", flat=True)) == ["ballot_round.close"]
    ballot_types = AuditEvent.objects.filter(object_type__startswith="ballots.")
    assert set(ballot_types.values_list("object_type", flat=True)) == {"ballots.ballotround"}
    assert not AuditEvent.objects.filter(actor__in=[cast.cadre, cast.head]).exists()


def test_a_survey_answer_leaves_no_trace_in_the_log(client, cast) -> None:
    world = build_respondent_world(cast)
    before = set(AuditEvent.objects.filter(org=cast.org).values_list("pk", flat=True))
    answer_case(world)  # twelve responses
    _round_level_only(client, cast, before, {"appraisal.round_open"})
    round_close(actor=cast.office, appraisal_round=world.round)
    closing = AuditEvent.objects.filter(org=cast.org).exclude(pk__in=before)
    assert list(closing.values_list("action", flat=True)) == ["appraisal.round_close"]
    appraisal_types = AuditEvent.objects.filter(object_type__startswith="appraisal.")
    assert "appraisal.response" not in set(appraisal_types.values_list("object_type", flat=True))
