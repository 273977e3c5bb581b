"""Office services: frame import, questionnaires, rounds, draws, replacements, calls."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from jixiao.appraisal.crypto import phone_digest
from jixiao.appraisal.frames import FrameError
from jixiao.appraisal.models import (
    Allocation,
    AppraisalRound,
    CallAttempt,
    Disposition,
    Question,
    QuestionKind,
    Respondent,
    Response,
    RoundStatus,
    SampleMember,
)
from jixiao.appraisal.responses import response_submit
from jixiao.appraisal.sampling import allocate_proportional, draw_sample
from jixiao.appraisal.services import (
    CLAIM_MINUTES,
    NO_ANSWER_LIMIT,
    STANDARD_ITEMS,
    QuestionSpec,
    call_record,
    claim_holder,
    frame_import,
    member_claim,
    member_release,
    member_replace,
    phone_reveal,
    questionnaire_create,
    questionnaire_update,
    round_close,
    round_create,
    round_draw,
    round_open,
    sample_export,
)
from jixiao.audit.models import AuditEvent
from jixiao.spreadsheets import Status
from tests.appraisal.office_world import STRATA, build_office_world, frame_csv, phone_of

pytestmark = pytest.mark.django_db


def _import(cast, data: bytes, *, dry_run: bool = False, filename: str = "frame.csv", name="框"):
    return frame_import(
        actor=cast.office, org=cast.org, name=name, data=data, filename=filename, dry_run=dry_run
    )


# --- frame import ---------------------------------------------------------------------


def test_import_reads_the_columns_and_keeps_the_others_in_extra(cast):
    outcome = _import(cast, frame_csv())
    assert outcome.report.applied and outcome.report.counts[Status.CREATED.value] == 40
    assert outcome.frame.columns == ["类别", "村（社区）", "姓名", "电话", "备注"]
    first = Respondent.objects.filter(frame=outcome.frame).get(
        phone_digest=phone_digest(phone_of(1))
    )
    assert (first.stratum, first.village, first.name, first.phone_last4) == (
        "人大代表",
        "白莲村",
        "受访者1",
        phone_of(1)[-4:],
    )
    assert first.extra == {"备注": "第1号"}
    assert AuditEvent.objects.filter(action="appraisal.frame_import").count() == 1


def test_dry_run_saves_nothing_but_reports_every_row(cast):
    outcome = _import(cast, frame_csv(), dry_run=True)
    assert not outcome.report.applied and len(outcome.report.rows) == 40
    assert outcome.report.rows[0].row == 2  # the header is row 1
    assert Respondent.objects.count() == 0
    assert not AuditEvent.objects.filter(action="appraisal.frame_import").exists()


def test_importing_the_same_file_twice_changes_nothing(cast):
    _import(cast, frame_csv())
    before = list(Respondent.objects.order_by("pk").values())
    audits = AuditEvent.objects.count()
    outcome = _import(cast, frame_csv())
    assert outcome.report.counts[Status.UNCHANGED.value] == 40 and not outcome.report.changed
    assert list(Respondent.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.count() == audits


def test_a_changed_row_updates_the_same_respondent(cast):
    _import(cast, frame_csv())
    # Same phone, written differently, now a business owner in another village.
    data = "类别,村（社区）,姓名,电话\n企业主,莲花社区,受访者1,+86 139-0000-0001\n".encode()
    outcome = _import(cast, data)
    assert [r.status for r in outcome.report.rows] == [Status.UPDATED]
    person = Respondent.objects.get(phone_digest=phone_digest(phone_of(1)))
    assert (person.stratum, person.village) == ("企业主", "莲花社区")
    assert Respondent.objects.count() == 40


def test_a_bad_row_saves_nothing_and_names_the_row_and_column(cast):
    data = (
        "类别,村,电话\n人大代表,白莲村,13900000001\n,白莲村,13900000002\n"
        "企业主,白莲村,12345\n企业主,白莲村,139 0000 0001\n"
    ).encode()
    outcome = _import(cast, data)
    assert not outcome.report.applied and Respondent.objects.count() == 0
    errors = {r.row: r.messages for r in outcome.report.rows if r.status == Status.ERROR}
    assert set(errors) == {3, 4, 5}
    assert "类别：必填" in errors[3][0]
    assert errors[4][0].startswith("电话：") and "12345" in errors[4][0]
    assert errors[5] == ["电话：与第 2 行重复"]


def test_the_village_column_may_be_called_村_and_xlsx_works(cast):
    wb = Workbook()
    wb.active.append(["类别", "村", "电话"])
    wb.active.append(["农村居民", "白莲村", 13900000007])  # a number cell
    buffer = io.BytesIO()
    wb.save(buffer)
    outcome = _import(cast, buffer.getvalue(), filename="frame.xlsx")
    assert outcome.report.applied
    person = Respondent.objects.get()
    assert person.village == "白莲村" and person.phone_digest == phone_digest("13900000007")


def test_missing_required_columns_is_a_file_error(cast):
    with pytest.raises(FrameError, match="电话"):
        _import(cast, "类别,姓名\n人大代表,张三\n".encode())
    with pytest.raises(ValidationError):
        _import(cast, frame_csv(), name=" ")


# --- questionnaires -------------------------------------------------------------------


def test_template_gives_the_three_standard_items_per_unit(cast):
    world = build_office_world(cast)
    questions = list(world.questionnaire.questions.order_by("order"))
    assert len(questions) == 3 * 2
    assert all(q.kind == QuestionKind.SCALE for q in questions)
    assert [q.unit for q in questions] == [cast.section] * 3 + [cast.village] * 3
    assert "贯彻落实" in questions[0].text and "决策部署" in questions[0].text
    assert "维护群众利益" in questions[1].text and "自身建设" in questions[2].text
    assert cast.section.name in questions[0].text
    assert questions[3].text == STANDARD_ITEMS[0] % {"unit": cast.village.name}


def test_questionnaire_validation_names_the_question(cast):
    good = QuestionSpec(kind=QuestionKind.SCALE, text="总体满意吗？", unit=cast.section)
    cases = [
        ([], "至少需要一道题"),
        ([good, QuestionSpec(kind=QuestionKind.SINGLE, text="选一", options=["甲"])], "第 2 题"),
        ([QuestionSpec(kind="essay", text="?")], "未知的题型"),
        ([QuestionSpec(kind=QuestionKind.TEXT, text="  ")], "请填写题目"),
        ([QuestionSpec(kind=QuestionKind.MULTIPLE, text="多", options=["甲", "甲"])], "重复"),
        ([QuestionSpec(kind=QuestionKind.SCALE, text="外单位", unit=cast.other_org)], "不属于"),
    ]
    for questions, message in cases:
        with pytest.raises(ValidationError, match=message):
            questionnaire_create(actor=cast.office, org=cast.org, name="问卷", questions=questions)


def test_questionnaire_update_replaces_questions_until_a_round_opens(cast):
    world = build_office_world(cast)
    specs = [
        QuestionSpec(kind=QuestionKind.SCALE, text="总体满意吗？", unit=cast.section),
        QuestionSpec(kind=QuestionKind.SINGLE, text="您的年龄", options=["30 岁以下", "30 岁以上"]),
        QuestionSpec(kind=QuestionKind.TEXT, text="建议", required=False),
    ]
    questionnaire_update(
        actor=cast.office, questionnaire=world.questionnaire, name="新问卷", questions=specs
    )
    texts = list(world.questionnaire.questions.values_list("text", "order"))
    assert texts == [("总体满意吗？", 1), ("您的年龄", 2), ("建议", 3)]
    round_draw(actor=cast.office, appraisal_round=world.round)
    round_open(actor=cast.office, appraisal_round=world.round)
    with pytest.raises(ValidationError, match="不能再修改"):
        questionnaire_update(
            actor=cast.office, questionnaire=world.questionnaire, name="x", questions=specs
        )


# --- rounds and draws -----------------------------------------------------------------


def test_round_records_a_random_seed_when_left_blank(cast):
    world = build_office_world(cast)
    blank = round_create(
        actor=cast.office,
        org=cast.org,
        year=world.year,
        period=world.period,
        name="年终",
        frame=world.frame,
        questionnaire=world.questionnaire,
        sample_size=20,
    )
    assert len(blank.seed) == 16 and blank.seed != world.round.seed
    event = AuditEvent.objects.get(action="appraisal.round_create", object_id=str(blank.pk))
    assert event.after["seed"] == blank.seed


def test_round_refuses_a_sample_larger_than_the_frame_and_other_orgs_objects(cast):
    world = build_office_world(cast)
    args = dict(
        actor=cast.office,
        org=cast.org,
        year=world.year,
        period=world.period,
        name="太大",
        frame=world.frame,
        questionnaire=world.questionnaire,
    )
    with pytest.raises(ValidationError, match="超过抽样框总人数 40"):
        round_create(**args, sample_size=600)
    with pytest.raises(ValidationError, match="不属于本单位"):
        round_create(**{**args, "org": cast.other_org}, sample_size=5)
    with pytest.raises(ValidationError, match="不在抽样框中"):
        round_create(**args, allocation_method=Allocation.QUOTA, quotas={"外来人口": 3})


def test_draw_follows_the_allocation_and_the_seed(cast):
    world = build_office_world(cast, sample_size=10)
    round_draw(actor=cast.office, appraisal_round=world.round)
    world.round.refresh_from_db()
    sizes = dict(STRATA)
    assert world.round.allocation == allocate_proportional(sizes, 10)
    members = list(world.round.members.order_by("position"))
    assert len(members) == 10 and len({m.respondent_id for m in members}) == 10
    assert [m.position for m in members] == list(range(1, 11))
    # The same seed over the same keys gives the same people: reproducible by anyone.
    strata: dict[str, list[int]] = {}
    for pk, stratum in Respondent.objects.values_list("pk", "stratum"):
        strata.setdefault(stratum, []).append(pk)
    expected = draw_sample(strata, world.round.allocation, "2024-07")
    got: dict[str, list[int]] = {}
    for m in members:
        got.setdefault(m.stratum, []).append(m.respondent_id)
    assert got == {k: v for k, v in expected.items() if v}
    assert AuditEvent.objects.filter(action="appraisal.round_draw").count() == 1


def test_drawing_twice_is_refused(cast):
    world = build_office_world(cast)
    round_draw(actor=cast.office, appraisal_round=world.round)
    with pytest.raises(ValidationError, match="不能重复抽样"):
        round_draw(actor=cast.office, appraisal_round=world.round)
    assert SampleMember.objects.count() == 10


def test_quota_draw_and_inactive_respondents_are_left_out(cast):
    world = build_office_world(cast)
    gone = Respondent.objects.filter(stratum="人大代表").order_by("pk").first()
    Respondent.objects.filter(pk=gone.pk).update(active=False)
    quota_round = round_create(
        actor=cast.office,
        org=cast.org,
        year=world.year,
        period=world.period,
        name="配额",
        frame=world.frame,
        questionnaire=world.questionnaire,
        allocation_method=Allocation.QUOTA,
        quotas={"人大代表": "3", "企业主": 2},
    )
    assert quota_round.sample_size == 5
    round_draw(actor=cast.office, appraisal_round=quota_round)
    quota_round.refresh_from_db()
    assert quota_round.allocation == {"人大代表": 3, "企业主": 2, "城镇居民": 0, "农村居民": 0}
    assert not quota_round.members.filter(respondent__active=False).exists()


def test_open_needs_a_draw_and_close_needs_open(cast):
    world = build_office_world(cast)
    with pytest.raises(ValidationError, match="请先抽取样本"):
        round_open(actor=cast.office, appraisal_round=world.round)
    with pytest.raises(ValidationError, match="只有调查中"):
        round_close(actor=cast.office, appraisal_round=world.round)
    round_draw(actor=cast.office, appraisal_round=world.round)
    round_open(actor=cast.office, appraisal_round=world.round)
    round_close(actor=cast.office, appraisal_round=world.round)
    world.round.refresh_from_db()
    assert world.round.status == RoundStatus.CLOSED and world.round.closed_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"appraisal.round_open", "appraisal.round_close"} <= actions


# --- calls and replacements -----------------------------------------------------------


@pytest.fixture
def collecting(cast):
    world = build_office_world(cast)
    round_draw(actor=cast.office, appraisal_round=world.round)
    round_open(actor=cast.office, appraisal_round=world.round)
    return world


def test_calls_record_dispositions_and_callbacks(cast, collecting):
    member = collecting.round.members.order_by("position").first()
    with pytest.raises(ValidationError, match="回访时间"):
        call_record(actor=cast.office, member=member, disposition=Disposition.CALLBACK)
    when = timezone.now() + datetime.timedelta(hours=2)
    call_record(
        actor=cast.office, member=member, disposition=Disposition.CALLBACK, callback_at=when
    )
    member.refresh_from_db()
    assert member.status == Disposition.CALLBACK and member.callback_at == when
    call_record(actor=cast.office, member=member, disposition=Disposition.COMPLETED, note="好")
    member.refresh_from_db()
    assert member.status == Disposition.COMPLETED and member.callback_at is None
    assert CallAttempt.objects.filter(member=member).count() == 2
    with pytest.raises(ValidationError, match="不能再记录访问"):
        call_record(actor=cast.office, member=member, disposition=Disposition.REFUSED)
    with pytest.raises(ValidationError, match="未知的访问结果"):
        call_record(
            actor=cast.office,
            member=collecting.round.members.exclude(pk=member.pk).first(),
            disposition=Disposition.REPLACED,
        )


def test_calls_need_a_collecting_round(cast):
    world = build_office_world(cast)
    round_draw(actor=cast.office, appraisal_round=world.round)
    member = world.round.members.first()
    with pytest.raises(ValidationError, match="不在调查中"):
        call_record(actor=cast.office, member=member, disposition=Disposition.REFUSED)


def test_unreachable_members_are_replaced_from_the_same_stratum(cast, collecting):
    members = list(collecting.round.members.order_by("position"))
    wrong, shy, silent = members[-1], members[-2], members[-3]
    call_record(actor=cast.office, member=wrong, disposition=Disposition.WRONG_NUMBER)
    replacement = member_replace(actor=cast.office, member=wrong)
    wrong.refresh_from_db()
    assert wrong.status == Disposition.REPLACED and replacement.replaces == wrong
    assert replacement.stratum == wrong.stratum == replacement.respondent.stratum
    assert replacement.position == len(members) + 1
    drawn = set(collecting.round.members.values_list("respondent_id", flat=True))
    assert len(drawn) == len(members) + 1  # nobody twice

    call_record(actor=cast.office, member=shy, disposition=Disposition.REFUSED)
    assert member_replace(actor=cast.office, member=shy).stratum == shy.stratum

    # Unanswered calls: replaceable only after NO_ANSWER_LIMIT tries.
    for attempt in range(NO_ANSWER_LIMIT):
        if attempt:
            with pytest.raises(ValidationError, match="可以替换"):
                member_replace(actor=cast.office, member=silent)
        call_record(actor=cast.office, member=silent, disposition=Disposition.NO_ANSWER)
    member_replace(actor=cast.office, member=silent)
    with pytest.raises(ValidationError, match="可以替换"):
        member_replace(actor=cast.office, member=members[0])  # still pending


def test_replacement_runs_out_when_the_stratum_is_exhausted(cast):
    world = build_office_world(cast)
    quota = round_create(
        actor=cast.office,
        org=cast.org,
        year=world.year,
        period=world.period,
        name="全部人大代表",
        frame=world.frame,
        questionnaire=world.questionnaire,
        allocation_method=Allocation.QUOTA,
        quotas={"人大代表": 4},
    )
    round_draw(actor=cast.office, appraisal_round=quota)
    round_open(actor=cast.office, appraisal_round=quota)
    member = quota.members.first()
    call_record(actor=cast.office, member=member, disposition=Disposition.REFUSED)
    with pytest.raises(ValidationError, match="已没有可替换的对象"):
        member_replace(actor=cast.office, member=member)
    member.refresh_from_db()
    assert member.status == Disposition.REFUSED  # nothing half-done


# --- phone numbers --------------------------------------------------------------------


def test_reveal_returns_the_number_and_audits_it_without_the_number(cast, collecting):
    member = collecting.round.members.order_by("position").first()
    phone = phone_reveal(actor=cast.office, member=member)
    assert Respondent.objects.get(pk=member.respondent_id).phone_digest == phone_digest(phone)
    event = AuditEvent.objects.get(action="appraisal.phone_reveal")
    assert event.actor == cast.office and event.object_id == str(member.respondent_id)
    assert phone not in f"{event.summary}{event.before}{event.after}"
    round_close(actor=cast.office, appraisal_round=collecting.round)
    member.round.refresh_from_db()
    with pytest.raises(ValidationError, match="不能再查看"):
        phone_reveal(actor=cast.office, member=member)


def _sheet(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_export_masks_numbers_unless_asked_and_audits_both(cast, collecting):
    rows = _sheet(sample_export(actor=cast.office, appraisal_round=collecting.round))
    assert rows[0] == ("序号", "类别", "村（社区）", "姓名", "电话", "状态", "回访时间", "替换序号")
    assert len(rows) == 11
    assert all(str(row[4]).startswith("***-****-") for row in rows[1:])
    full = _sheet(
        sample_export(actor=cast.office, appraisal_round=collecting.round, full_numbers=True)
    )
    numbers = {phone_of(i) for i in range(1, 41)}
    assert all(row[4] in numbers for row in full[1:])
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("pk"))
    assert actions[-2:] == ["appraisal.sample_export", "appraisal.sample_export_full"]


def test_export_needs_a_draw(cast):
    world = build_office_world(cast)
    with pytest.raises(ValidationError, match="尚未抽样"):
        sample_export(actor=cast.office, appraisal_round=world.round)
    assert AppraisalRound.objects.get().drawn_at is None
    assert Question.objects.count() == 6


def test_a_second_phone_column_is_not_kept_in_clear(cast):
    data = "类别,电话,备用手机,职业\n企业主,13900000001,13900000099,个体\n".encode()
    outcome = _import(cast, data)
    assert outcome.report.applied and "备用手机" in outcome.report.warnings[0]
    assert Respondent.objects.get().extra == {"职业": "个体"}


def test_closing_rewrites_the_responses_under_fresh_keys(cast, collecting):
    questions = list(collecting.questionnaire.questions.all())
    for level in (5, 4, 3):
        response_submit(
            round=collecting.round,
            answers={q.pk: level for q in questions},
            mode="phone",
            stratum="企业主",
        )
    before = set(Response.objects.values_list("pk", flat=True))
    round_close(actor=cast.office, appraisal_round=collecting.round)
    after = set(Response.objects.values_list("pk", flat=True))
    assert len(after) == 3 and not before & after
    answers = sorted(
        next(iter(r.values())) for r in Response.objects.values_list("answers", flat=True)
    )
    assert answers == [3, 4, 5]
    event = AuditEvent.objects.get(action="appraisal.round_close")
    assert event.after["responses"] == 3


# --- interviewer claims ---------------------------------------------------------------


def test_a_claimed_member_is_refused_to_a_second_interviewer(cast, collecting):
    member = collecting.round.members.order_by("position").first()
    assert member_claim(actor=cast.office, member=member)
    assert member.claimed_by == cast.office
    assert member.claimed_until > timezone.now() + datetime.timedelta(minutes=CLAIM_MINUTES - 1)
    # The second interviewer loses the conditional update and sees who has it.
    other = SampleMember.objects.get(pk=member.pk)
    assert not member_claim(actor=cast.leader, member=other)
    assert other.claimed_by == cast.office
    assert claim_holder(other, actor=cast.leader) == cast.office
    assert claim_holder(other, actor=cast.office) is None
    with pytest.raises(ValidationError, match="正在联系该样本"):
        call_record(actor=cast.leader, member=other, disposition=Disposition.REFUSED)
    with pytest.raises(ValidationError, match="正在联系该样本"):
        phone_reveal(actor=cast.leader, member=other)
    assert not CallAttempt.objects.filter(member=member).exists()
    # Opening it again extends one's own claim.
    assert member_claim(actor=cast.office, member=member)


def test_an_expired_claim_is_free_again(cast, collecting):
    member = collecting.round.members.order_by("position").first()
    past = timezone.now() - datetime.timedelta(minutes=CLAIM_MINUTES + 1)
    assert member_claim(actor=cast.office, member=member, now=past)
    assert claim_holder(member, actor=cast.leader) is None
    assert member_claim(actor=cast.leader, member=member)
    member.refresh_from_db()
    assert member.claimed_by == cast.leader


def test_recording_a_disposition_releases_the_claim(cast, collecting):
    member = collecting.round.members.order_by("position").first()
    member_claim(actor=cast.office, member=member)
    call_record(actor=cast.office, member=member, disposition=Disposition.NO_ANSWER)
    member.refresh_from_db()
    assert member.claimed_by is None and member.claimed_until is None
    assert member_claim(actor=cast.leader, member=member)
    member_release(actor=cast.office, member=member)  # not the office's claim: kept
    assert member.claimed_by == cast.leader
    member_release(actor=cast.leader, member=member)
    assert member.claimed_by is None


def test_a_finished_member_cannot_be_claimed(cast, collecting):
    member = collecting.round.members.order_by("position").first()
    call_record(actor=cast.office, member=member, disposition=Disposition.COMPLETED)
    assert not member_claim(actor=cast.office, member=member)
    member.refresh_from_db()
    assert member.claimed_by is None


@pytest.mark.django_db(transaction=True)
def test_two_interviewers_claiming_at_once_one_wins(cast):
    """Each thread has its own connection: the conditional UPDATE lets exactly one in."""
    world = build_office_world(cast)
    round_draw(actor=cast.office, appraisal_round=world.round)
    round_open(actor=cast.office, appraisal_round=world.round)
    member = world.round.members.order_by("position").first()
    users = [cast.office, cast.leader, cast.head, cast.handler]
    start = threading.Barrier(len(users))
    won: list[int] = []
    lock = threading.Lock()

    def claim(user) -> None:
        try:
            start.wait()
            if member_claim(actor=user, member=SampleMember.objects.get(pk=member.pk)):
                with lock:
                    won.append(user.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    member.refresh_from_db()
    assert len(won) == 1 and member.claimed_by_id == won[0]
