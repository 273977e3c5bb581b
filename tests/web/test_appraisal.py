"""公众评议 office pages: every view with a user who may (office) and ones who may not."""

from __future__ import annotations

import hashlib
import io
import os
import time
from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook

from jixiao.appraisal.crypto import phone_mask
from jixiao.appraisal.models import (
    AppraisalRound,
    CallAttempt,
    Disposition,
    Questionnaire,
    Respondent,
    Response,
    RoundStatus,
)
from jixiao.appraisal.services import (
    CLAIM_MINUTES,
    call_record,
    frame_import,
    member_claim,
    round_close,
    round_draw,
    round_open,
)
from jixiao.audit.models import AuditEvent
from jixiao.organisation.models import Role
from jixiao.organisation.services import role_grant
from jixiao.web.views.appraisal import MAX_UPLOAD, STASH_KEY
from tests.appraisal.office_world import (
    STRATA,
    OfficeWorld,
    build_office_world,
    frame_csv,
    phone_of,
)
from tests.cast import make_user

# The same people with their strata changed: a different file with the same shape.
STRATA_SWAPPED = tuple(reversed(STRATA))

pytestmark = pytest.mark.django_db


@pytest.fixture
def ow(cast) -> OfficeWorld:
    return build_office_world(cast)


@pytest.fixture
def collecting(cast, ow) -> OfficeWorld:
    round_draw(actor=cast.office, appraisal_round=ow.round)
    round_open(actor=cast.office, appraisal_round=ow.round)
    ow.round.refresh_from_db()
    return ow


def _get(client, user, url: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    return response.content.decode()


def _post(client, user, url: str, data=None, status: int = 302, **extra):
    client.force_login(user)
    response = client.post(url, data or {}, **extra)
    assert response.status_code == status, response.content[:500]
    return response


def _urls(ow: OfficeWorld) -> list[str]:
    member = ow.round.members.order_by("position").first()
    urls = [
        reverse("appraisal:index"),
        reverse("appraisal:frames"),
        reverse("appraisal:frame_upload"),
        reverse("appraisal:frame", args=[ow.frame.pk]),
        reverse("appraisal:questionnaires"),
        reverse("appraisal:questionnaire_new"),
        reverse("appraisal:questionnaire", args=[ow.questionnaire.pk]),
        reverse("appraisal:round_new"),
        reverse("appraisal:round", args=[ow.round.pk]),
        reverse("appraisal:calls", args=[ow.round.pk]),
    ]
    if member is not None:
        urls.append(reverse("appraisal:call", args=[ow.round.pk, member.pk]))
    return urls


# --- who may --------------------------------------------------------------------------


def test_office_opens_every_page(client, cast, collecting):
    for url in _urls(collecting):
        _get(client, cast.office, url)


@pytest.mark.parametrize("who", ["cadre", "leader", "handler", "nobody"])
def test_other_roles_are_refused_every_page(client, cast, collecting, who):
    for url in _urls(collecting):
        _get(client, getattr(cast, who), url, 403)


def test_another_townships_office_gets_404_for_our_objects(client, cast, collecting):
    member = collecting.round.members.first()
    for url in _urls(collecting)[3:]:
        if url.endswith(("/new/", "/import/", "/questionnaires/")):
            continue
        _get(client, cast.outsider, url, 404)
    for name in ("appraisal:draw", "appraisal:open", "appraisal:close", "appraisal:export"):
        _post(client, cast.outsider, reverse(name, args=[collecting.round.pk]), status=404)
    args = [collecting.round.pk, member.pk]
    for name in ("appraisal:reveal", "appraisal:replace", "appraisal:call", "appraisal:release"):
        _post(client, cast.outsider, reverse(name, args=args), status=404)
    # Their own lists show nothing of ours.
    assert collecting.round.name not in _get(client, cast.outsider, reverse("appraisal:index"))
    assert collecting.frame.name not in _get(client, cast.outsider, reverse("appraisal:frames"))
    assert not AuditEvent.objects.filter(action="appraisal.phone_reveal").exists()


def test_posts_are_refused_to_a_cadre(client, cast, collecting):
    member = collecting.round.members.first()
    for name in ("appraisal:draw", "appraisal:open", "appraisal:close", "appraisal:export"):
        _post(client, cast.cadre, reverse(name, args=[collecting.round.pk]), status=403)
    for name in ("appraisal:reveal", "appraisal:replace", "appraisal:call", "appraisal:release"):
        _post(client, cast.cadre, reverse(name, args=[collecting.round.pk, member.pk]), status=403)
    _post(client, cast.cadre, reverse("appraisal:questionnaire_template"), status=403)
    assert AppraisalRound.objects.get().status == RoundStatus.COLLECTING


# --- lists: query counts --------------------------------------------------------------


def test_list_pages_take_a_fixed_number_of_queries(
    client, cast, collecting, django_assert_max_num_queries
):
    client.force_login(cast.office)
    for url, limit in (
        (reverse("appraisal:index"), 12),
        (reverse("appraisal:frames"), 12),
        (reverse("appraisal:questionnaires"), 12),
        (reverse("appraisal:frame", args=[collecting.frame.pk]), 14),
        (reverse("appraisal:round", args=[collecting.round.pk]), 16),
        (reverse("appraisal:calls", args=[collecting.round.pk]), 14),
    ):
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_frame_detail_is_paginated_and_masks_numbers(client, cast, ow):
    page = _get(client, cast.office, reverse("appraisal:frame", args=[ow.frame.pk]))
    assert phone_mask(phone_of(1)[-4:]) in page
    assert not any(phone_of(i) in page for i in range(1, 41))
    page = _get(
        client, cast.office, reverse("appraisal:frame", args=[ow.frame.pk]) + "?stratum=企业主"
    )
    assert page.count("<code>") == 6
    # 40 respondents, 50 a page: one page; more than 50 gives a next link.
    csv = frame_csv((("农村居民", 60),))
    outcome = frame_import(
        actor=cast.office, org=cast.org, name="大框", data=csv, filename="x.csv", dry_run=False
    )
    page = _get(client, cast.office, reverse("appraisal:frame", args=[outcome.frame.pk]))
    assert page.count("<code>") == 50 and "page=2" in page
    page = _get(
        client, cast.office, reverse("appraisal:frame", args=[outcome.frame.pk]) + "?page=2"
    )
    assert page.count("<code>") == 10


# --- frame import ---------------------------------------------------------------------


def test_frame_import_previews_then_applies(client, cast):
    client.force_login(cast.office)
    url = reverse("appraisal:frame_upload")
    upload = io.BytesIO(frame_csv())
    upload.name = "抽样框.csv"
    response = client.post(url, {"name": "七月抽样框", "file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "预览（试运行）" in page
    assert "另有 40 行新增或不变" in page  # not 40 table rows
    assert Respondent.objects.count() == 0
    token = response.context["token"]
    response = client.post(url, {"action": "apply", "token": token})
    assert response.status_code == 302
    assert Respondent.objects.count() == 40
    # The token is single use.
    page = client.post(url, {"action": "apply", "token": token}).content.decode()
    assert "找不到已预览的文件" in page


def test_frame_import_shows_row_errors_and_saves_nothing(client, cast):
    client.force_login(cast.office)
    upload = io.BytesIO("类别,电话\n人大代表,123\n".encode())
    upload.name = "bad.csv"
    response = client.post(
        reverse("appraisal:frame_upload"), {"name": "框", "file": upload}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "有错误，未导入任何数据" in page and "不是有效的手机号码" in page
    assert "<html" not in page  # the htmx partial only
    assert "token" not in response.context or not response.context.get("token")
    assert Respondent.objects.count() == 0


# --- questionnaires -------------------------------------------------------------------


def test_standard_template_button_creates_a_questionnaire(client, cast):
    response = _post(
        client,
        cast.office,
        reverse("appraisal:questionnaire_template"),
        {"name": "年终评议问卷", "units": [cast.section.pk, cast.other_org.pk]},
    )
    questionnaire = Questionnaire.objects.get(name="年终评议问卷")
    assert response["Location"] == reverse("appraisal:questionnaire", args=[questionnaire.pk])
    # The other township's unit is not offered and not used.
    assert questionnaire.questions.count() == 3
    assert set(questionnaire.questions.values_list("unit", flat=True)) == {cast.section.pk}


def _builder_post(rows: list[dict], action: str = "save", name: str = "问卷") -> dict:
    data = {"name": name, "intro": "", "rows": str(len(rows)), "action": action}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"q{index}-{key}"] = value
    return data


def test_builder_adds_and_removes_rows_without_saving_then_saves(client, cast):
    client.force_login(cast.office)
    url = reverse("appraisal:questionnaire_new")
    rows = [{"kind": "scale", "text": "满意吗", "unit": str(cast.section.pk), "required": "1"}]
    response = client.post(url, _builder_post(rows, "add"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'name="q1-text"' in response.content.decode()
    assert "<html" not in response.content.decode()
    rows.append({"kind": "single", "text": "年龄", "options": "青年\n中年\n老年"})
    rows.append({"kind": "text", "text": "删掉我"})
    response = client.post(url, _builder_post(rows, "remove-2"))
    assert 'name="q2-text"' not in response.content.decode()
    assert Questionnaire.objects.count() == 0
    response = client.post(url, _builder_post([*rows[:1], {"kind": "single", "text": "x"}]))
    assert "第 2 题：选择题至少需要两个选项" in response.content.decode()
    response = client.post(url, _builder_post(rows[:2]), HTTP_HX_REQUEST="true")
    questionnaire = Questionnaire.objects.get()
    assert response["HX-Redirect"] == reverse("appraisal:questionnaire", args=[questionnaire.pk])
    assert list(questionnaire.questions.values_list("kind", "options")) == [
        ("scale", []),
        ("single", ["青年", "中年", "老年"]),
    ]


def test_editing_another_orgs_questionnaire_is_404(client, cast, ow):
    _get(client, cast.outsider, reverse("appraisal:questionnaire", args=[ow.questionnaire.pk]), 404)


# --- rounds ---------------------------------------------------------------------------


def test_office_creates_draws_opens_and_closes_a_round(client, cast, ow):
    client.force_login(cast.office)
    data = {
        "name": "年终公众评议",
        "period": ow.period.pk,
        "frame": ow.frame.pk,
        "questionnaire": ow.questionnaire.pk,
        "sample_size": "20",
        "allocation_method": "proportional",
        "quotas": "",
        "seed": "",
    }
    response = client.post(reverse("appraisal:round_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    new = AppraisalRound.objects.get(name="年终公众评议")
    assert new.seed and new.sample_size == 20
    page = _get(client, cast.office, reverse("appraisal:round", args=[new.pk]))
    assert "抽取样本" in page and new.seed in page
    _post(client, cast.office, reverse("appraisal:draw", args=[new.pk]))
    page = _get(client, cast.office, reverse("appraisal:round", args=[new.pk]))
    assert new.members.count() == 20 and "开始调查" in page
    # allocation table: 40 people, 20 drawn → half of each stratum.
    new.refresh_from_db()
    assert new.allocation == {"人大代表": 2, "企业主": 3, "城镇居民": 6, "农村居民": 9}
    _post(client, cast.office, reverse("appraisal:draw", args=[new.pk]))  # refused, message
    assert new.members.count() == 20
    _post(client, cast.office, reverse("appraisal:open", args=[new.pk]))
    _post(client, cast.office, reverse("appraisal:close", args=[new.pk]))
    new.refresh_from_db()
    assert new.status == RoundStatus.CLOSED


def test_round_form_shows_quota_errors(client, cast, ow):
    client.force_login(cast.office)
    data = {
        "name": "配额",
        "period": ow.period.pk,
        "frame": ow.frame.pk,
        "questionnaire": ow.questionnaire.pk,
        "sample_size": "600",
        "allocation_method": "quota",
        "quotas": "人大代表=9",
        "seed": "s",
    }
    page = client.post(reverse("appraisal:round_new"), data).content.decode()
    assert "配额 9 超过该类别人数 4" in page
    data["quotas"] = "人大代表"
    page = client.post(reverse("appraisal:round_new"), data).content.decode()
    assert "第 1 行应写成" in page
    assert AppraisalRound.objects.count() == 1


def test_round_page_guards_links_to_results_and_codes(client, cast, collecting):
    page = _get(client, cast.office, reverse("appraisal:round", args=[collecting.round.pk]))
    try:
        results = reverse("appraisal_results:detail", args=[collecting.round.pk])
    except NoReverseMatch:  # the results area is not installed: the page still renders
        results = None
    if results:
        assert results in page


def test_export_downloads_masked_or_full_numbers_and_audits(client, cast, collecting):
    url = reverse("appraisal:export", args=[collecting.round.pk])
    response = _post(client, cast.office, url, status=200)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 11 and all(str(r[4]).startswith("***") for r in rows[1:])
    response = _post(client, cast.office, url, {"full": "1"}, status=200)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert all(len(str(r[4])) == 11 for r in rows[1:])
    assert AuditEvent.objects.filter(action="appraisal.sample_export_full").count() == 1
    _get(client, cast.office, url, 405)  # GET is not an export


# --- interviewer mode -----------------------------------------------------------------


def test_reveal_shows_the_number_and_audits(client, cast, collecting):
    member = collecting.round.members.order_by("position").first()
    url = reverse("appraisal:reveal", args=[collecting.round.pk, member.pk])
    response = _post(client, cast.office, url, status=200, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    phone = next(phone_of(i) for i in range(1, 41) if phone_of(i) in page)
    assert "<html" not in page and f"tel:{phone}" in page
    event = AuditEvent.objects.get(action="appraisal.phone_reveal")
    assert event.actor == cast.office and event.object_id == str(member.respondent_id)
    # Without JavaScript: the whole call page, with the number.
    page = _post(client, cast.office, url, status=200).content.decode()
    assert "<html" in page and phone in page
    assert AuditEvent.objects.filter(action="appraisal.phone_reveal").count() == 2


def test_call_queue_lists_due_callbacks_first(client, cast, collecting):
    members = list(collecting.round.members.order_by("position"))
    call_record(
        actor=cast.office,
        member=members[5],
        disposition=Disposition.CALLBACK,
        callback_at=timezone.now() - timedelta(minutes=5),
    )
    call_record(
        actor=cast.office,
        member=members[6],
        disposition=Disposition.CALLBACK,
        callback_at=timezone.now() + timedelta(days=1),
    )
    client.force_login(cast.office)
    response = client.get(reverse("appraisal:calls", args=[collecting.round.pk]))
    sections = response.context["sections"]
    assert [m.pk for m in sections[0][1]] == [members[5].pk]
    assert [m.pk for m in sections[2][1]] == [members[6].pk]
    assert members[5].pk not in [m.pk for m in sections[1][1]]


def _answers(questionnaire, level: int = 4) -> dict:
    return {f"a{q.pk}": str(level) for q in questionnaire.questions.all()}


def test_completed_call_submits_an_anonymous_response(client, cast, collecting):
    member = collecting.round.members.order_by("position").first()
    url = reverse("appraisal:call", args=[collecting.round.pk, member.pk])
    data = {"disposition": "completed", "mode": "phone", **_answers(collecting.questionnaire)}
    _post(client, cast.office, url, data)
    member.refresh_from_db()
    assert member.status == Disposition.COMPLETED
    response = Response.objects.get()
    assert response.stratum == member.stratum and response.mode == "phone"
    assert set(response.answers.values()) == {4}
    # Completed: no second response, no second call.
    client.post(url, data)
    assert Response.objects.count() == 1 and CallAttempt.objects.count() == 1


def test_completed_call_with_missing_answers_saves_nothing(client, cast, collecting):
    member = collecting.round.members.order_by("position").first()
    url = reverse("appraisal:call", args=[collecting.round.pk, member.pk])
    client.force_login(cast.office)
    page = client.post(url, {"disposition": "completed", "mode": "phone"}).content.decode()
    assert "请作答" in page
    member.refresh_from_db()
    assert member.status == Disposition.PENDING
    assert not Response.objects.exists() and not CallAttempt.objects.exists()


def test_other_dispositions_record_the_call_only(client, cast, collecting):
    member = collecting.round.members.order_by("position").first()
    url = reverse("appraisal:call", args=[collecting.round.pk, member.pk])
    client.force_login(cast.office)
    page = client.post(url, {"disposition": "callback"}).content.decode()
    assert "回访时间" in page and not CallAttempt.objects.exists()
    _post(client, cast.office, url, {"disposition": "callback", "callback_at": "2030-07-01T09:30"})
    _post(client, cast.office, url, {"disposition": "wrong_number"})
    member.refresh_from_db()
    assert member.status == Disposition.WRONG_NUMBER and not Response.objects.exists()
    # Now it can be replaced from the call page.
    _post(
        client,
        cast.office,
        reverse("appraisal:replace", args=[collecting.round.pk, member.pk]),
        {"next": "calls"},
    )
    member.refresh_from_db()
    assert member.status == Disposition.REPLACED and member.replaced_by.stratum == member.stratum


def test_a_questionnaire_in_use_cannot_be_saved(client, cast, collecting):
    client.force_login(cast.office)
    url = reverse("appraisal:questionnaire", args=[collecting.questionnaire.pk])
    page = client.get(url).content.decode()
    assert "问卷不能再修改" in page and "保存问卷" not in page
    rows = [{"kind": "text", "text": "新题"}]
    page = client.post(url, _builder_post(rows)).content.decode()
    assert "不能再修改" in page
    assert collecting.questionnaire.questions.count() == 6


# --- interviewer claims ---------------------------------------------------------------


@pytest.fixture
def second_interviewer(cast):
    user = make_user("office2", "何", "敏")
    role_grant(actor=None, user=user, org=cast.org, role=Role.OFFICE, unit=None)
    return user


def test_opening_a_call_claims_it_and_a_second_interviewer_sees_it_taken(
    client, cast, collecting, second_interviewer
):
    member = collecting.round.members.order_by("position").first()
    call_url = reverse("appraisal:call", args=[collecting.round.pk, member.pk])
    calls_url = reverse("appraisal:calls", args=[collecting.round.pk])
    page = _get(client, cast.office, call_url)
    assert "保存访问结果" in page and "他人正在联系" not in page
    member.refresh_from_db()
    assert member.claimed_by == cast.office
    # The second interviewer: the member is not "next to call" but listed as taken.
    response = client.get(calls_url)  # still the office: its own claim stays in "next"
    assert member.pk in [m.pk for m in response.context["sections"][1][1]]
    client.force_login(second_interviewer)
    response = client.get(calls_url)
    sections = response.context["sections"]
    assert member.pk not in [m.pk for m in sections[1][1]]
    assert [m.pk for m in sections[3][1]] == [member.pk]
    assert "他人正在联系" in response.content.decode()
    page = _get(client, second_interviewer, call_url)
    assert "王芳正在联系该样本" in page
    assert "保存访问结果" not in page and "显示完整号码" not in page
    # A hand-made post is refused too, and nothing is recorded.
    page = _post(client, second_interviewer, call_url, {"disposition": "refused"}, 200)
    assert "不能重复访问" in page.content.decode()
    assert not CallAttempt.objects.exists()
    member.refresh_from_db()
    assert member.claimed_by == cast.office


def test_an_expired_claim_is_free_for_the_next_interviewer(
    client, cast, collecting, second_interviewer
):
    member = collecting.round.members.order_by("position").first()
    member_claim(
        actor=cast.office,
        member=member,
        now=timezone.now() - timedelta(minutes=CLAIM_MINUTES + 1),
    )
    client.force_login(second_interviewer)
    response = client.get(reverse("appraisal:calls", args=[collecting.round.pk]))
    assert member.pk in [m.pk for m in response.context["sections"][1][1]]
    page = _get(
        client, second_interviewer, reverse("appraisal:call", args=[collecting.round.pk, member.pk])
    )
    assert "保存访问结果" in page
    member.refresh_from_db()
    assert member.claimed_by == second_interviewer


def test_recording_the_call_releases_the_claim(client, cast, collecting, second_interviewer):
    member = collecting.round.members.order_by("position").first()
    url = reverse("appraisal:call", args=[collecting.round.pk, member.pk])
    _get(client, cast.office, url)
    _post(client, cast.office, url, {"disposition": "no_answer"})
    member.refresh_from_db()
    assert member.claimed_by is None and member.claimed_until is None
    client.force_login(second_interviewer)
    response = client.get(reverse("appraisal:calls", args=[collecting.round.pk]))
    assert member.pk in [m.pk for m in response.context["sections"][1][1]]
    assert not response.context["sections"][3][1]


def test_a_closed_round_page_claims_nothing(client, cast, collecting):
    round_close(actor=cast.office, appraisal_round=collecting.round)
    member = collecting.round.members.order_by("position").first()
    _get(client, cast.office, reverse("appraisal:call", args=[collecting.round.pk, member.pk]))
    member.refresh_from_db()
    assert member.claimed_by is None


# --- frame import: the file waits in a private temp file ------------------------------


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def _preview(client, csv: bytes, name: str = "七月抽样框"):
    upload = io.BytesIO(csv)
    upload.name = "抽样框.csv"
    response = client.post(reverse("appraisal:frame_upload"), {"name": name, "file": upload})
    assert response.status_code == 200 and "预览（试运行）" in response.content.decode()
    return response.context["token"]


def _stashed_files(data_dir) -> list:
    folder = data_dir / "tmp" / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_the_previewed_frame_waits_on_disk_not_in_the_session(client, cast, data_dir):
    client.force_login(cast.office)
    csv = frame_csv()
    token = _preview(client, csv)
    [path] = _stashed_files(data_dir)
    assert path.read_bytes() == csv and path.stat().st_mode & 0o077 == 0
    stash = client.session[STASH_KEY]
    assert set(stash) == {"token", "file", "filename", "sha256", "meta"}
    assert stash["file"] == path.name and stash["filename"] == "抽样框.csv"
    assert stash["sha256"] == hashlib.sha256(csv).hexdigest()
    response = client.post(reverse("appraisal:frame_upload"), {"action": "apply", "token": token})
    assert response.status_code == 302
    assert Respondent.objects.count() == 40
    assert _stashed_files(data_dir) == [] and STASH_KEY not in client.session


def test_a_missing_or_expired_temp_file_asks_to_upload_again(client, cast, data_dir):
    client.force_login(cast.office)
    url = reverse("appraisal:frame_upload")
    token = _preview(client, frame_csv())
    [path] = _stashed_files(data_dir)
    path.unlink()
    page = client.post(url, {"action": "apply", "token": token}).content.decode()
    assert "找不到已预览的文件（可能已过期），请重新上传并预览" in page
    # Expired: older than a day, the file is refused and removed.
    token = _preview(client, frame_csv())
    [path] = _stashed_files(data_dir)
    old = time.time() - 25 * 3600
    os.utime(path, (old, old))
    page = client.post(url, {"action": "apply", "token": token}).content.decode()
    assert "请重新上传并预览" in page
    assert Respondent.objects.count() == 0 and _stashed_files(data_dir) == []


def test_a_new_upload_sweeps_files_older_than_a_day(client, cast, data_dir):
    client.force_login(cast.office)
    folder = data_dir / "tmp" / "imports"
    folder.mkdir(parents=True)
    stale, fresh = folder / ("a" * 32), folder / ("b" * 32)
    stale.write_bytes(b"old")
    fresh.write_bytes(b"new")  # another user's preview from a minute ago
    old = time.time() - 25 * 3600
    os.utime(stale, (old, old))
    _preview(client, frame_csv())
    names = {p.name for p in _stashed_files(data_dir)}
    assert stale.name not in names and fresh.name in names and len(names) == 2


def test_a_swapped_temp_file_is_refused(client, cast, data_dir):
    client.force_login(cast.office)
    token = _preview(client, frame_csv())
    [path] = _stashed_files(data_dir)
    path.write_bytes(frame_csv(STRATA_SWAPPED))
    response = client.post(reverse("appraisal:frame_upload"), {"action": "apply", "token": token})
    assert "已预览的文件已被改动" in response.content.decode()
    assert Respondent.objects.count() == 0 and _stashed_files(data_dir) == []


def test_a_5_mb_frame_goes_through(client, cast, data_dir):
    # 2,000 people with a long remark each: the old 2 MB session limit refused this.
    lines = ["类别,村（社区）,姓名,电话,备注"]
    remark = "备注" * 440
    lines += [f"农村居民,白莲村,受访者{i},{phone_of(i)},{remark}" for i in range(1, 2001)]
    csv = ("\n".join(lines) + "\n").encode("utf-8")
    assert 5 * 1024 * 1024 <= len(csv) <= MAX_UPLOAD
    client.force_login(cast.office)
    token = _preview(client, csv)
    response = client.post(reverse("appraisal:frame_upload"), {"action": "apply", "token": token})
    assert response.status_code == 302
    assert Respondent.objects.count() == 2000 and _stashed_files(data_dir) == []


def test_a_frame_over_the_limit_is_refused_before_reading(client, cast, data_dir):
    client.force_login(cast.office)
    upload = io.BytesIO(b"x" * (MAX_UPLOAD + 1))
    upload.name = "big.csv"
    response = client.post(reverse("appraisal:frame_upload"), {"name": "框", "file": upload})
    assert "文件超过 20 MB" in response.content.decode()
    assert _stashed_files(data_dir) == []


def test_giving_a_member_back_frees_it_and_others_cannot_release_it(
    client, cast, collecting, second_interviewer
):
    member = collecting.round.members.order_by("position").first()
    url = reverse("appraisal:release", args=[collecting.round.pk, member.pk])
    _get(client, cast.office, reverse("appraisal:call", args=[collecting.round.pk, member.pk]))
    _post(client, second_interviewer, url)  # not theirs: nothing happens
    member.refresh_from_db()
    assert member.claimed_by == cast.office
    _post(client, cast.cadre, url, status=403)
    _post(client, cast.office, url)
    member.refresh_from_db()
    assert member.claimed_by is None and member.claimed_until is None
