"""考核 pages: each with a user who may and one who may not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from jixiao.assessments import services as s
from jixiao.assessments.models import Appeal, Assessment, Score, Status
from jixiao.assessments.selectors import todo_for
from jixiao.assessments.services import ScoreInput
from jixiao.evidence.models import Evidence
from jixiao.organisation.access import access_for
from jixiao.years.models import SubjectKind
from jixiao.years.services import year_setup
from tests.evidence import files

LEAVES = {
    "indicators.sustainable": ("90", "滞后"),
    "indicators.livelihood": ("80", "未完成"),
    "indicators.governance": ("70", "作风"),
    "public": ("85", "满意度"),
}


@pytest.fixture
def year(cast):
    return year_setup(
        actor=cast.office,
        org=cast.org,
        year=2024,
        choices={SubjectKind.ORGANISATION: "bailian-town", SubjectKind.UNIT: "hami-transport"},
    )


@pytest.fixture
def units(cast, year):
    """Unit assessment of Q1, in scoring."""
    a = s.assessment_create(
        actor=cast.office,
        year=year,
        period=year.periods.get(kind="quarter", number=1),
        subject_kind=SubjectKind.UNIT,
    )
    return s.assessment_open_scoring(actor=cast.office, assessment=a)


@pytest.fixture
def town(cast, year):
    """The township's own assessment of Q1, scored and in review."""
    a = s.assessment_create(
        actor=cast.office,
        year=year,
        period=year.periods.get(kind="quarter", number=1),
        subject_kind=SubjectKind.ORGANISATION,
    )
    s.assessment_open_scoring(actor=cast.office, assessment=a)
    subject = a.subjects.get()
    subject.assessment.refresh_from_db()
    s.scores_save(
        actor=cast.leader,
        subject=subject,
        inputs=[ScoreInput(k, v, r) for k, (v, r) in LEAVES.items()],
    )
    return s.assessment_start_review(actor=cast.office, assessment=a)


def url(name, *args):
    return reverse(f"assessment:{name}", args=args)


def test_list_for_everyone_in_the_org_and_create_for_the_office(client, cast, year, units):
    client.force_login(cast.cadre)
    page = client.get(url("list"))
    assert page.status_code == 200 and units.name in page.text
    assert "新建考核" not in page.text
    assert client.post(url("create"), {"year": year.pk}).status_code == 403
    client.force_login(cast.office)
    assert "新建考核" in client.get(url("list")).text
    period = year.periods.get(kind="month", number=1)
    response = client.post(
        url("create"),
        {"year": year.pk, "period": period.pk, "subject_kind": "organisation", "quotas": "优=20"},
    )
    assert response.status_code == 302
    created = Assessment.objects.get(period=period)
    assert created.quotas.get().max_share == Decimal("0.2")


def test_outsider_gets_404_everywhere(client, cast, town):
    client.force_login(cast.outsider)
    subject = town.subjects.get()
    assert units_not_listed(client, town)
    for name, args in [
        ("detail", (town.pk,)),
        ("scoring", (town.pk,)),
        ("subject", (town.pk, subject.pk)),
        ("self_evaluation", (town.pk, subject.pk)),
        ("vetoes", (town.pk,)),
        ("appeals", (town.pk,)),
    ]:
        assert client.get(url(name, *args)).status_code == 404, name
    assert client.post(url("publish", town.pk)).status_code == 404


def units_not_listed(client, assessment) -> bool:
    return assessment.name not in client.get(url("list")).text


def test_detail_shows_results_to_reviewers_before_publication(client, cast, town):
    client.force_login(cast.leader)
    page = client.get(url("detail", town.pk))
    assert "79.20" not in page.text  # no inspections: 65.2 + 17 = 82.20
    assert "82.20" in page.text and "一般" in page.text
    client.force_login(cast.cadre)
    page = client.get(url("detail", town.pk))
    assert page.status_code == 200 and "82.20" not in page.text
    subject = town.subjects.get()
    assert client.get(url("subject", town.pk, subject.pk)).status_code == 404


def test_published_results_are_seen_by_everyone_in_the_org(client, cast, town):
    s.assessment_publish(actor=cast.office, assessment=town)
    client.force_login(cast.cadre)
    assert "82.20" in client.get(url("detail", town.pk)).text
    page = client.get(url("subject", town.pk, town.subjects.get().pk))
    assert page.status_code == 200
    assert "65.2 + 17" in page.text or "81.5 × 80%" in page.text  # the formula is rendered
    # The self-evaluation is not the cadre's to read: no link that would answer 403.
    self_url = url("self_evaluation", town.pk, town.subjects.get().pk)
    assert self_url not in page.text
    assert client.get(self_url).status_code == 403
    client.force_login(cast.leader)
    assert self_url in client.get(url("subject", town.pk, town.subjects.get().pk)).text


def test_breakdown_shows_formula_caps_and_evidence(client, cast, year, town):
    from jixiao.inspections.models import Inspection

    for points in ("1", "2.5"):
        Inspection.objects.create(
            year=year,
            org=cast.org,
            unit=cast.org,
            kind="unannounced",
            date=date(2024, 3, 1),
            finding="暗访发现",
            node="inspection",
            points=Decimal(points),
        )
    s.assessment_aggregate(actor=cast.office, assessment=town)
    client.force_login(cast.office)
    page = client.get(url("subject", town.pk, town.subjects.get().pk)).text
    assert "79.20" in page and "封顶 3（原 3.5）" in page and "察访核验#" in page
    assert "滞后" in page  # the scorer's reason is the indicator's evidence


def test_responsible_user_sees_own_subject_before_publication(client, cast, units):
    client.force_login(cast.head)  # heads 经济发展办
    mine = units.subjects.get(unit=cast.section)
    other = units.subjects.get(unit=cast.other_section)
    page = client.get(url("detail", units.pk))
    assert "经济发展办" in page.text and "社会事务办" not in page.text
    assert client.get(url("subject", units.pk, mine.pk)).status_code == 200
    assert client.get(url("subject", units.pk, other.pk)).status_code == 404


def test_scoring_page_shows_rules_and_full_marks(client, cast, units):
    client.force_login(cast.leader)
    page = client.get(url("scoring", units.pk)).text
    assert "按照各科室任务分解表逐项考核" in page  # the engine's rule text
    assert "无故缺席次数" in page and "一次扣0.5分" in page  # a fact, with its node's rule
    client.force_login(cast.head)
    assert client.get(url("scoring", units.pk)).status_code == 403


def _post_score(client, assessment, subject, key, value, reason="", version=0, original=""):
    return client.post(
        url("score_subject", assessment.pk, subject.pk),
        {
            f"v:{key}": value,
            f"r:{key}": reason,
            f"ver:{key}": str(version),
            f"o:{key}": original,
            f"or:{key}": "",
        },
        HTTP_HX_REQUEST="true",
    )


def test_htmx_save_requires_a_reason_below_full_marks(client, cast, units):
    client.force_login(cast.leader)
    subject = units.subjects.get(unit=cast.section)
    page = _post_score(client, units, subject, "tasks", "90")
    assert "须填写扣分理由" in page.text and "tasks" in page.text
    assert not Score.objects.exists()
    page = _post_score(client, units, subject, "tasks", "90", reason="两项未完成")
    assert "已保存" in page.text
    assert Score.objects.get().value == 90


def test_second_reviewer_gets_a_conflict_and_keeps_the_input(client, cast, units):
    subject = units.subjects.get(unit=cast.section)
    client.force_login(cast.leader)
    _post_score(client, units, subject, "tasks", "100")  # both loaded an empty cell
    client.force_login(cast.office)
    page = _post_score(client, units, subject, "tasks", "88", reason="我的意见")
    assert "该分值已被 李建国 于" in page.text
    assert "修改为 100，您的输入未保存：88" in page.text
    assert 'value="88"' in page.text and 'value="我的意见"' in page.text  # nothing lost
    assert Score.objects.get().value == 100
    # Saving again is a deliberate overwrite of the newer version.
    page = _post_score(client, units, subject, "tasks", "88", "我的意见", version=1, original="100")
    assert Score.objects.get().value == 88


def test_self_evaluation_by_the_responsible_head(client, cast, units):
    subject = units.subjects.get(unit=cast.section)
    other = units.subjects.get(unit=cast.other_section)
    client.force_login(cast.head)
    response = client.post(url("self_evaluation", units.pk, subject.pk), {"report": "完成任务"})
    assert response.status_code == 302
    assert subject.__class__.objects.get(pk=subject.pk).self_evaluation.report == "完成任务"
    assert client.get(url("self_evaluation", units.pk, other.pk)).status_code == 404
    client.force_login(cast.handler)
    assert client.get(url("self_evaluation", units.pk, subject.pk)).status_code == 404


def test_vetoes_proposed_by_reviewers_decided_by_the_office(client, cast, town):
    subject = town.subjects.get()
    client.force_login(cast.leader)
    client.post(url("vetoes", town.pk), {"subject": subject.pk, "category": "计生", "note": "超生"})
    veto = subject.vetoes.get()
    assert (
        client.post(url("veto_decide", town.pk, veto.pk), {"decision": "approve"}).status_code
        == 403
    )
    client.force_login(cast.office)
    client.post(url("veto_decide", town.pk, veto.pk), {"decision": "approve"})
    subject.refresh_from_db()
    assert subject.award_eligible is False and "一票否决：计生" in subject.reasons
    client.force_login(cast.cadre)
    assert client.get(url("vetoes", town.pk)).status_code == 403


def test_appeal_filed_by_the_responsible_user_and_decided_by_the_office(client, cast, town):
    s.assessment_publish(actor=cast.office, assessment=town)
    subject = town.subjects.get()
    client.force_login(cast.cadre)  # not responsible for the township
    assert client.post(url("appeal_file", town.pk, subject.pk), {"reason": "x"}).status_code == 403
    client.force_login(cast.leader)  # principal leader answers for the township
    client.post(url("appeal_file", town.pk, subject.pk), {"reason": "评议样本有误"})
    appeal = Appeal.objects.get()
    assert [t.kind for t in todo_for(access_for(cast.office))] == ["appeal"]
    assert client.get(url("appeal_decide", town.pk, appeal.pk)).status_code == 403
    client.force_login(cast.office)
    version = Score.objects.get(node="public").version
    response = client.post(
        url("appeal_decide", town.pk, appeal.pk),
        {
            "outcome": "upheld",
            "decision": "重新抽样",
            "v:public": "95",
            "r:public": "重新抽样",
            "ver:public": str(version),
            "o:public": "85",
            "or:public": "满意度",
        },
    )
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.total == Decimal("84.20")  # 65.2 + 19


def test_finalise_and_read_only(client, cast, town):
    s.assessment_publish(actor=cast.office, assessment=town)
    client.force_login(cast.office)
    client.post(url("finalise", town.pk))  # window still open, no reason
    town.refresh_from_db()
    assert town.status == Status.NOTICE
    client.post(url("finalise", town.pk), {"override_reason": "县里提前收取"})
    town.refresh_from_db()
    assert town.status == Status.FINAL
    client.force_login(cast.leader)
    assert client.post(url("finalise", town.pk)).status_code == 403
    subject = town.subjects.get()
    page = _post_score(client, town, subject, "public", "100")
    assert page.status_code == 403


def test_workflow_buttons_are_office_only(client, cast, units):
    client.force_login(cast.leader)
    assert client.post(url("start_review", units.pk)).status_code == 403
    client.force_login(cast.office)
    client.post(url("start_review", units.pk))
    units.refresh_from_db()
    assert units.status == Status.REVIEW


def test_todo_lists_scores_and_self_evaluations(cast, units):
    kinds = [t.kind for t in todo_for(access_for(cast.leader))]
    assert kinds == ["score"]
    head = todo_for(access_for(cast.head))
    assert [t.kind for t in head] == ["self_evaluation"]
    assert "经济发展办" in head[0].label


def test_subjects_table_has_no_n_plus_one(client, cast, year, django_assert_max_num_queries):
    from jixiao.organisation.services import person_create

    for i in range(15):
        person_create(unit=cast.section, name=f"干部{i}", code=f"x{i}")
    from jixiao.years.models import YearScheme

    pin = YearScheme.objects.get(year=year, subject_kind="unit")
    YearScheme.objects.create(year=year, subject_kind="person", scheme_version=pin.scheme_version)
    a = s.assessment_create(
        actor=cast.office,
        year=year,
        period=year.periods.get(kind="quarter", number=1),
        subject_kind=SubjectKind.PERSON,
    )
    assert a.subjects.count() == 20
    client.force_login(cast.office)
    with django_assert_max_num_queries(9):
        assert client.get(url("detail", a.pk)).status_code == 200


# --- nodes fed by a peer ballot or a public appraisal -----------------------------------


@pytest.fixture
def bw(cast):
    from tests.ballots.world import build_ballot_world

    world = build_ballot_world(cast)
    Assessment.objects.filter(pk=world.assessment.pk).update(status=Status.SCORING)
    world.assessment.refresh_from_db()
    return world


def test_scoring_page_shows_a_fed_node_with_its_source_not_as_an_input(client, cast, bw):
    from jixiao.ballots.services import ballot_round_close
    from tests.ballots.test_services import vote_all

    vote_all(cast, bw)
    ballot_round_close(actor=cast.office, ballot_round=bw.round)
    client.force_login(cast.leader)
    page = client.get(url("scoring", bw.assessment.pk)).text
    assert 'name="v:duty.peer"' not in page
    assert 'name="v:duty.head"' in page  # a node nobody else feeds stays editable
    assert "民主测评《第一季度民主测评》：87.50（有效票 3 张）" in page  # 周敏
    results = reverse("ballots:results", args=[bw.round.pk])
    assert f'href="{results}"' in page and f'hx-get="{results}"' in page
    client.force_login(cast.head)
    assert client.get(url("scoring", bw.assessment.pk)).status_code == 403


def test_posting_a_score_for_a_fed_node_is_refused_and_saves_nothing(client, cast, bw):
    client.force_login(cast.leader)
    subject = bw.subjects["other"]
    page = client.post(
        url("score_subject", bw.assessment.pk, subject.pk),
        {"v:duty.head": "100", "v:duty.peer": "90", "r:duty.peer": "偏低"},
        HTTP_HX_REQUEST="true",
    ).text
    assert "民主测评（duty.peer） 由民主测评《第一季度民主测评》计分，不由领导小组评分" in page
    assert "测评进行中，结束后自动计入" in page
    assert not Score.objects.exists()
    # Without the fed node, the same form saves.
    page = _post_score(client, bw.assessment, subject, "duty.head", "100")
    assert "已保存" in page.text
    assert Score.objects.get().node == "duty.head"


def test_scoring_page_with_fed_nodes_has_no_n_plus_one(client, cast, bw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jixiao.assessments.models import Subject
    from jixiao.ballots.services import ballot_round_close
    from jixiao.organisation.services import person_create
    from tests.ballots.test_services import vote_all

    vote_all(cast, bw)
    ballot_round_close(actor=cast.office, ballot_round=bw.round)
    client.force_login(cast.office)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url("scoring", bw.assessment.pk)).status_code == 200
        return len(context.captured_queries)

    few = queries()
    for i in range(12):
        person = person_create(unit=cast.section, name=f"干部{i}", code=f"y{i}")
        Subject.objects.create(assessment=bw.assessment, person=person)
    assert queries() == few


def test_scoring_page_shows_the_public_index_for_rated_units_only(client, cast):
    from jixiao.appraisal.services import round_close
    from tests.appraisal.respondent_world import build_respondent_world
    from tests.appraisal.test_results import answer_case

    rw = build_respondent_world(cast)
    answer_case(rw)
    round_close(actor=cast.office, appraisal_round=rw.round)
    a = s.assessment_create(
        actor=cast.office, year=rw.year, period=rw.period, subject_kind=SubjectKind.UNIT
    )
    s.assessment_open_scoring(actor=cast.office, assessment=a)
    client.force_login(cast.leader)
    page = client.get(url("scoring", a.pk)).text
    section = page[page.index(f'id="s{a.subjects.get(unit=cast.section).pk}"') :]
    section = section[: section.index("</form>")]
    assert "公众评议《2024年7月公众评议》：79.67 ± 9.15（12 份答卷）" in section
    assert 'name="v:public"' not in section
    assert reverse("appraisal_results:detail", args=[rw.round.pk]) in section
    other = page[page.index(f'id="s{a.subjects.get(unit=cast.other_section).pk}"') :]
    other = other[: other.index("</form>")]
    assert 'name="v:public"' in other and "公众评议《" not in other


def test_a_refused_veto_keeps_no_evidence_file(client, cast, town, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    subject = town.subjects.get()
    client.force_login(cast.leader)
    photo = files.upload("现场.jpg", files.JPEG)
    post = {"subject": subject.pk, "category": "计生", "note": " ", "evidence": photo}
    response = client.post(url("vetoes", town.pk), post, follow=True)
    assert "请填写事实依据" in response.content.decode()
    assert not subject.vetoes.exists() and not Evidence.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # stored, then deleted
    post |= {"note": "超生", "evidence": files.upload("现场.jpg", files.JPEG)}
    client.post(url("vetoes", town.pk), post)
    (stored,) = subject.vetoes.get().evidence.all()
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [stored.file.name.split("/")[-1]]
