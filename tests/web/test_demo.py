"""Demo data: idempotent, every login works, and it follows seed 002 (篇一 and 篇四)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client

from jixiao.organisation.access import access_for
from jixiao.organisation.models import Person, Role, RoleGrant, Unit, UnitKind
from jixiao.project import demo_fixtures as fx
from jixiao.project.demo_data import DEMO_USERS, demo_load
from jixiao.targets.models import Assignment, Milestone, Responsibility, Target
from jixiao.targets.selectors import targets_visible_to
from jixiao.years.models import SubjectKind, YearScheme

pytestmark = pytest.mark.django_db

PASSWORD = "yanshi-mima-1"

# 002 篇四: how many numbered tasks each section of the Hami bureau lists.
HAMI_TASK_COUNTS = {
    "办公室": 11,
    "公路科": 12,
    "路政科": 7,
    "项目办": 10,
    "安运科": 11,
    "监察室": 5,
    "财务室": 11,
    "交战办": 6,
}


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _password_hashes() -> dict[str, str]:
    return dict(User.objects.values_list("username", "password"))


@pytest.fixture
def demo() -> None:
    demo_load(password=PASSWORD)


def _org(code: str) -> Unit:
    return Unit.objects.get(code=code, kind__in=(UnitKind.TOWNSHIP, UnitKind.BUREAU))


def test_loading_twice_leaves_the_same_rows_and_hashes() -> None:
    demo_load(password=PASSWORD)
    counts, hashes = _row_counts(), _password_hashes()
    demo_load(password=PASSWORD)
    assert _row_counts() == counts
    assert _password_hashes() == hashes
    assert counts["targets.Target"] == len(fx.BAILIAN_TARGETS) + sum(HAMI_TASK_COUNTS.values())
    assert counts["auth.User"] == len(DEMO_USERS) == 6


def _log_in(client: Client, username: str, password: str = PASSWORD):
    # Through the login form: django-axes needs the request that Client.login() omits.
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, follow=True
    )


def test_every_demo_login_reaches_the_home_page(client: Client, demo) -> None:
    for demo_user in DEMO_USERS:
        response = _log_in(client, demo_user.username)
        assert response.status_code == 200, demo_user.username
        assert response.redirect_chain[-1][0] == "/", demo_user.username
        assert response.wsgi_request.user.username == demo_user.username
        client.logout()


def test_every_login_has_a_role_and_a_person_in_its_organisation(demo) -> None:
    expected = {
        "office": ("白莲镇", {Role.OFFICE}, "杨金文"),
        "leader": ("白莲镇", {Role.REVIEWER, Role.PRINCIPAL_LEADER}, "黄小君"),
        "head": ("白莲镇", {Role.SECTION_HEAD}, "张伟"),
        "handler": ("白莲镇", {Role.HANDLER}, "刘洋"),
        "cadre": ("白莲镇", {Role.CADRE}, "陈静"),
        "hami": ("哈密地区交通运输局", {Role.OFFICE}, "陈清河"),
    }
    for username, (org_name, roles, person_name) in expected.items():
        access = access_for(User.objects.get(username=username))
        assert access is not None, username
        assert access.org.name == org_name
        assert access.roles == roles
        assert access.person is not None and access.person.name == person_name
    head_grant = RoleGrant.objects.get(user__username="head", role=Role.SECTION_HEAD)
    assert head_grant.unit.name == "经济发展办"
    cadre = Person.objects.get(user__username="cadre")
    assert cadre.unit.kind == UnitKind.VILLAGE
    roles = {d.username: d.role for d in DEMO_USERS}
    assert roles["handler"].endswith("承办人") and "经办人" not in "".join(roles.values())


def test_handler_sees_only_their_own_targets(demo) -> None:
    handler = User.objects.get(username="handler")
    access = access_for(handler)
    visible = set(targets_visible_to(access).values_list("code", flat=True))
    own = set(
        Assignment.objects.filter(
            person__user=handler, responsibility=Responsibility.HANDLER
        ).values_list("target__code", flat=True)
    )
    assert visible == own == {"可持续发展-01", "可持续发展-02"}
    assert access.person.unit.name == "经济发展办"
    # Everybody else in the township sees more, the leader sees all of it.
    leader_access = access_for(User.objects.get(username="leader"))
    township = Target.objects.filter(org=access.org).count()
    assert targets_visible_to(leader_access).count() == township > len(visible)


def test_hami_sections_have_the_documents_numbered_tasks(demo) -> None:
    hami = _org("hami-jt")
    for section, count in HAMI_TASK_COUNTS.items():
        codes = list(
            Target.objects.filter(org=hami, unit__name=section)
            .order_by("code")
            .values_list("code", flat=True)
        )
        assert codes == [f"{section}-{n:02d}" for n in range(1, count + 1)], section
    assert not Target.objects.filter(org=hami).exclude(indicator="tasks").exists()
    road = Target.objects.get(org=hami, code="公路科-03")
    assert "75公里" in road.title and "29.8公里" in road.title


def _holders(code: str, responsibility: str) -> set[str]:
    return set(
        Assignment.objects.filter(
            target__code=code, target__org__code="hami-jt", responsibility=responsibility
        ).values_list("person__name", flat=True)
    )


def test_hami_role_holders_follow_the_document(demo) -> None:
    assert _holders("公路科-01", Responsibility.SECTION_HEAD) == {"塔依尔·玉素甫"}
    assert _holders("公路科-01", Responsibility.PRINCIPAL_LEADER) == {"阿克然木·玉努斯"}
    assert _holders("公路科-01", Responsibility.HANDLER) == {"祖力", "马磊", "邓长秀", "陈艳玲"}
    assert _holders("办公室-05", Responsibility.PRINCIPAL_LEADER) == {"白建国", "阿克然木·玉努斯"}
    assert _holders("办公室-05", Responsibility.SUPERVISING_LEADER) == {"朱建军", "纪家"}
    assert _holders("项目办-02", Responsibility.SECTION_HEAD) == {"祖力菲卡尔·米吉提"}
    assert _holders("财务室-11", Responsibility.HANDLER) == {"武清萍", "吕锦秀"}
    # 安运科 has two brackets: items 1–5 under 阿克然木·玉努斯, 6–11 under 白建国.
    assert _holders("安运科-05", Responsibility.PRINCIPAL_LEADER) == {"阿克然木·玉努斯"}
    assert _holders("安运科-06", Responsibility.PRINCIPAL_LEADER) == {"白建国"}
    assert _holders("安运科-06", Responsibility.HANDLER) == {"张志强", "郭静"}
    # Every task has a principal, a supervisor, a head and at least one handler.
    for target in Target.objects.filter(org__code="hami-jt"):
        kinds = set(target.assignments.values_list("responsibility", flat=True))
        assert kinds == set(Responsibility.values), target.code


def test_bailian_has_eleven_villages_a_committee_and_its_sections(demo) -> None:
    bailian = _org("bailian")
    assert bailian.parent.name == "示范县"
    assert _org("hami-jt").parent_id == bailian.parent_id
    units = Unit.objects.filter(org=bailian)
    assert units.filter(kind=UnitKind.VILLAGE).count() == 11
    assert list(units.filter(kind=UnitKind.COMMITTEE).values_list("name", flat=True)) == [
        "白莲社区居委会"
    ]
    assert {"党政办", "经济发展办", "综治办"} <= set(
        units.filter(kind=UnitKind.SECTION).values_list("name", flat=True)
    )
    assert {"财政所", "安监站", "农业服务中心", "文化站"} <= set(
        units.filter(kind=UnitKind.STATION).values_list("name", flat=True)
    )
    group = dict(Person.objects.filter(org=bailian).values_list("name", "post"))
    assert "组长" in group["黄小君"] and "副组长" in group["廖国兴"] and "副组长" in group["杨金文"]


def test_years_pin_the_presets_and_targets_have_monthly_milestones(demo) -> None:
    pins = {
        (ys.year.org.code, ys.subject_kind): ys.scheme_version.scheme.code
        for ys in YearScheme.objects.select_related("year__org", "scheme_version__scheme")
    }
    assert pins == {
        ("bailian", SubjectKind.ORGANISATION): "bailian-town",
        ("bailian", SubjectKind.UNIT): "bailian-town",
        # Seed 001's monthly task-force competition (demo_competition).
        ("bailian", SubjectKind.TASK_FORCE): "haiyong-taskforce",
        ("bailian", SubjectKind.PERSON): "haiyong-taskforce",
        ("hami-jt", SubjectKind.UNIT): "hami-transport",
        ("hami-jt", SubjectKind.PERSON): "hami-transport",
    }
    bailian_targets = Target.objects.filter(org__code="bailian")
    assert set(bailian_targets.values_list("indicator", flat=True)) == {
        "indicators.sustainable",
        "indicators.livelihood",
        "indicators.governance",
    }
    for target in bailian_targets:
        assert target.milestones.exists(), target.code
    assert not Milestone.objects.exclude(period__kind="month").exists()
    # The township's targets split the 100 points of 指标考核 40 / 35 / 25.
    assert sum(t.weight for t in bailian_targets) == 100


def test_office_uses_the_admin_and_other_logins_do_not(client: Client, demo) -> None:
    _log_in(client, "office")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/organisation/unit/").status_code == 200
    client.logout()
    _log_in(client, "handler")
    assert client.get("/admin/").status_code == 302


def test_a_new_password_replaces_the_old() -> None:
    demo_load(password="old-password")
    demo_load(password="new-password")
    for username in ("leader", "hami"):
        user = User.objects.get(username=username)
        assert user.check_password("new-password")
        assert not user.check_password("old-password")


def test_bailian_year_is_in_progress(demo) -> None:
    """Issue #4: plans, reports with a photo, inspections, a final quarter, a quarter on notice."""
    from django.utils import timezone

    from jixiao.assessments.models import Appeal, AppealStatus, Assessment, Status
    from jixiao.ballots.models import Ballot, BallotLedger, RoundStatus
    from jixiao.inspections.models import Inspection
    from jixiao.progress.models import MonthlyPlan, PlanStatus, ProgressReport, ReportStatus

    bailian = _org("bailian")
    plans = MonthlyPlan.objects.filter(unit__code="jjfz", year__org=bailian)
    assert sorted(plans.values_list("period__number", "status")) == [
        (6, PlanStatus.CLOSED),
        (7, PlanStatus.SUBMITTED),
    ]
    reports = ProgressReport.objects.filter(reporter__user__username="handler")
    assert sorted(reports.values_list("status", flat=True)) == [
        ReportStatus.ACCEPTED,
        ReportStatus.SUBMITTED,
    ]
    for report in reports:
        [photo] = report.evidence.all()
        assert photo.content_type == "image/png"
        assert photo.file.read(8) == b"\x89PNG\r\n\x1a\n"
    zzb = Inspection.objects.filter(unit__code="zzb", date__month__in=(4, 5, 6))
    assert sum(i.points for i in zzb) > 3  # over the scheme's cap

    quarters = Assessment.objects.filter(year__org=bailian, period__kind="quarter")
    q1, q2 = quarters.order_by("period__start")  # (the half-year's is issue #5's)
    assert q1.status == Status.FINAL and q2.status == Status.NOTICE
    assert q2.notice_end >= timezone.localdate()
    assert not q1.subjects.filter(total__isnull=True).exists()
    [ballot_round] = q1.ballot_rounds.all()
    assert ballot_round.status == RoundStatus.CLOSED
    assert BallotLedger.objects.filter(round=ballot_round).values("rater").distinct().count() == 5
    assert Ballot.objects.filter(round=ballot_round).count() > 0
    [appeal] = Appeal.objects.filter(subject__assessment=q2)
    assert appeal.status == AppealStatus.PENDING
    assert (appeal.filed_by.username, appeal.subject.unit.code) == ("head", "jjfz")


def test_bailian_rectification_items_and_reward_pool(demo) -> None:
    """Rectification in every state (one overdue) and a pool on the final first quarter."""
    from jixiao.assessments.models import Status
    from jixiao.rectification.models import ItemStatus, RectificationItem, Source
    from jixiao.rewards.models import RewardPool

    items = RectificationItem.objects.filter(org=_org("bailian"))
    assert set(items.values_list("status", flat=True)) == {
        ItemStatus.OPEN,
        ItemStatus.SUBMITTED,
        ItemStatus.CLOSED,
        ItemStatus.REOPENED,
    }
    assert {Source.INSPECTION, Source.INDICATOR} == set(items.values_list("source", flat=True))
    assert [i.unit.code for i in items if i.overdue] == ["zzb"]
    assert items.get(status=ItemStatus.CLOSED).evidence.count() == 1
    # The appealed finding on 经济发展办 is left to the appeal; the handler owns one item.
    assert not items.filter(inspection__unit__code="jjfz").exists()
    assert items.filter(owner__user__username="handler", status=ItemStatus.OPEN).count() == 1
    for item in items.filter(source=Source.INDICATOR):
        assert item.score < item.average and item.subject.assessment.status == Status.FINAL

    [pool] = RewardPool.objects.filter(org=_org("bailian"))
    assert pool.assessment.status == Status.FINAL
    shares = list(pool.shares.all())
    assert len(shares) == pool.assessment.subjects.count()
    assert sum(s.amount for s in shares) == pool.amount
    by_grade = {s.subject.grade: s.amount for s in shares if s.eligible}
    assert by_grade["优"] > by_grade["良"] > 0
    # 一般 loses award eligibility (the scheme's rule): nothing, with the reason shown.
    below = [s for s in shares if s.subject.grade == "一般"]
    assert below and all(s.amount == 0 and not s.eligible and s.reason for s in below)


def test_bailian_june_task_force_competition_is_published(client: Client, demo) -> None:
    """Seed 001: three task forces, June's competition published and on the notice board."""
    from jixiao.assessments.models import Assessment, Status
    from jixiao.organisation.models import TaskForce
    from jixiao.rankings.competition import CompetitionResult
    from jixiao.results.models import CompetitionPublication

    bailian = _org("bailian")
    assert TaskForce.objects.filter(org=bailian).count() == 3
    [publication] = CompetitionPublication.objects.filter(org=bailian)
    assert (publication.period.kind, publication.period.number) == ("month", 6)
    result = CompetitionResult.from_json(publication.result)
    assert result.complete and result.groups_scored == 3
    assert len(result.best) == 1 and len(result.last) == 1 and len(result.bottom) >= 2
    assert result.best[0].total > result.last[0].total
    june = Assessment.objects.filter(period=publication.period)
    assert sorted(june.values_list("subject_kind", "status")) == [
        ("person", Status.FINAL),
        ("task_force", Status.FINAL),
    ]
    page = client.get(f"/public/bailian/periods/{publication.period_id}/").content.decode()
    assert result.best[0].label in page and result.last[0].label in page
