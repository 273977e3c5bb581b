"""民主测评 pages: every view with a user who may and one who may not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.assessments.models import Subject
from jixiao.audit.models import AuditEvent
from jixiao.ballots.models import Ballot, BallotLedger, BallotRound, RoundStatus
from jixiao.ballots.services import ballot_round_close
from jixiao.organisation.models import Person
from tests.ballots.test_services import VOTES, vote_all
from tests.ballots.world import BallotWorld, build_ballot_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def bw(cast) -> BallotWorld:
    return build_ballot_world(cast)


def _get(client, user, url: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def _sheet(bw, rater: str) -> dict[str, str]:
    return {f"s{bw.subjects[k].pk}": c for k, c in VOTES[rater].items()}


# --- index ------------------------------------------------------------------------


def test_index_shows_a_rater_their_round_and_the_office_all_rounds(client, cast, bw):
    page = _get(client, cast.handler, reverse("ballots:index"))
    assert "第一季度民主测评" in page and "待投票 4 人" in page
    assert reverse("ballots:vote", args=[bw.round.pk]) in page
    assert "全部测评轮次" not in page
    page = _get(client, cast.office, reverse("ballots:index"))
    assert "全部测评轮次" in page and reverse("ballots:create") in page
    assert reverse("ballots:detail", args=[bw.round.pk]) in page


def test_index_leaks_nothing_to_the_outsider_and_403s_nobody(client, cast, bw):
    page = _get(client, cast.outsider, reverse("ballots:index"))
    assert "第一季度民主测评" not in page
    _get(client, cast.nobody, reverse("ballots:index"), 403)


# --- set-up -----------------------------------------------------------------------


def _create_post(bw, **extra) -> dict:
    data = {
        "assessment": bw.assessment.pk,
        "title": "中心工作测评",
        "node": "central.peer",
        "min_valid": "3",
        "points_excellent": "95",
        "points_competent": "85",
        "points_basic": "75",
        "points_incompetent": "65",
        "g0-name": "领导",
        "g0-weight": "30",
        "g1-name": "同级",
        "g1-weight": "30",
        "g2-name": "群众",
        "g2-weight": "40",
        "g3-name": "",
        "g3-weight": "",
    }
    data.update(extra)
    return data


def test_office_sets_up_a_round(client, cast, bw):
    page = _get(client, cast.office, reverse("ballots:create") + f"?assessment={bw.assessment.pk}")
    assert 'value="duty.peer"' in page
    assert 'value="central.peer"' in page and 'value="duty"' not in page
    response = client.post(
        reverse("ballots:create"), _create_post(bw, **{"g2-raters": [cast.cadre.pk]})
    )
    ballot_round = BallotRound.objects.get(node="central.peer")
    assert response.status_code == 302
    assert response.url == reverse("ballots:detail", args=[ballot_round.pk])
    assert [g.name for g in ballot_round.groups.all()] == ["领导", "同级", "群众"]
    assert list(ballot_round.groups.get(name="群众").raters.all()) == [cast.cadre]


def test_set_up_error_names_the_field_and_saves_nothing(client, cast, bw):
    client.force_login(cast.office)
    response = client.post(reverse("ballots:create"), _create_post(bw, **{"g2-weight": "30"}))
    assert response.status_code == 200
    assert "权重：测评组权重之和应为 100，现为 90" in response.content.decode()
    assert not BallotRound.objects.filter(node="central.peer").exists()


def test_htmx_assessment_change_returns_the_form_partial(client, cast, bw):
    client.force_login(cast.office)
    url = reverse("ballots:create") + f"?assessment={bw.assessment.pk}"
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="round-form"' in page and "<html" not in page


def test_only_the_office_sets_up_rounds(client, cast, bw):
    _get(client, cast.leader, reverse("ballots:create"), 403)
    _get(client, cast.handler, reverse("ballots:create"), 403)
    # The outsider is an office user, but of another township: 404 for our assessment.
    _get(client, cast.outsider, reverse("ballots:create") + f"?assessment={bw.assessment.pk}", 404)


# --- detail and close ---------------------------------------------------------------


def test_detail_for_office_and_reviewers_with_turnout_counts(client, cast, bw):
    vote_all(cast, bw)
    page = _get(client, cast.office, reverse("ballots:detail", args=[bw.round.pk]))
    assert "投票进度：4 / 4 人已投票" in page
    assert reverse("ballots:close", args=[bw.round.pk]) in page
    page = _get(client, cast.leader, reverse("ballots:detail", args=[bw.round.pk]))
    assert reverse("ballots:close", args=[bw.round.pk]) not in page
    _get(client, cast.handler, reverse("ballots:detail", args=[bw.round.pk]), 403)
    _get(client, cast.outsider, reverse("ballots:detail", args=[bw.round.pk]), 404)


def test_office_closes_a_round_and_others_cannot(client, cast, bw):
    url = reverse("ballots:close", args=[bw.round.pk])
    client.force_login(cast.leader)
    assert client.post(url).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url).status_code == 404
    bw.round.refresh_from_db()
    assert bw.round.status == RoundStatus.OPEN
    client.force_login(cast.office)
    response = client.post(url)
    assert response.url == reverse("ballots:results", args=[bw.round.pk])
    bw.round.refresh_from_db()
    assert bw.round.status == RoundStatus.CLOSED


# --- voting -----------------------------------------------------------------------


def test_sheet_lists_everyone_but_the_rater(client, cast, bw):
    page = _get(client, cast.handler, reverse("ballots:vote", args=[bw.round.pk]))
    for label in ("李建国（党委副书记）", "张伟（主任）", "陈静（驻村干部）", "周敏（科员）"):
        assert label in page
    assert "刘洋（科员）" not in page
    assert "不了解" in page and "同级" in page


def test_rater_votes_once_and_then_sees_only_voted(client, cast, bw):
    client.force_login(cast.handler)
    url = reverse("ballots:vote", args=[bw.round.pk])
    response = client.post(url, _sheet(bw, "handler"))
    assert response.status_code == 302
    assert Ballot.objects.count() == 4 and BallotLedger.objects.count() == 4
    page = client.get(url).content.decode()
    assert "已投票" in page
    assert "checked" not in page and 'type="radio"' not in page
    for label in ("基本称职", "不称职"):  # the choices made are not shown again
        assert label not in page
    response = client.post(url, _sheet(bw, "handler"))  # a second time
    assert Ballot.objects.count() == 4


def test_incomplete_sheet_is_refused_and_keeps_the_picks(client, cast, bw):
    client.force_login(cast.leader)
    data = _sheet(bw, "leader")
    missing = data.pop(f"s{bw.subjects['head'].pk}")
    assert missing
    response = client.post(reverse("ballots:vote", args=[bw.round.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "张伟（主任）：请为每个测评对象选择一项评价" in page
    assert page.count("checked") == 3
    assert not Ballot.objects.exists() and not BallotLedger.objects.exists()


def test_non_rater_403_and_outsider_404(client, cast, bw):
    url = reverse("ballots:vote", args=[bw.round.pk])
    _get(client, cast.office, url, 403)
    client.force_login(cast.office)
    assert client.post(url, _sheet(bw, "leader")).status_code == 403
    _get(client, cast.outsider, url, 404)
    _get(client, cast.nobody, url, 403)
    assert not Ballot.objects.exists()


def test_closed_round_takes_no_votes(client, cast, bw):
    ballot_round_close(actor=cast.office, ballot_round=bw.round)
    client.force_login(cast.leader)
    url = reverse("ballots:vote", args=[bw.round.pk])
    assert "本次测评已结束" in client.get(url).content.decode()
    page = client.post(url, _sheet(bw, "leader")).content.decode()
    assert "该测评已结束" in page
    assert not Ballot.objects.exists()


def test_voting_writes_no_audit_event(client, cast, bw):
    before = AuditEvent.objects.count()
    client.force_login(cast.cadre)
    client.post(reverse("ballots:vote", args=[bw.round.pk]), _sheet(bw, "cadre"))
    assert BallotLedger.objects.count() == 4
    assert AuditEvent.objects.count() == before


def test_sheet_query_count_with_20_subjects(client, cast, bw, django_assert_max_num_queries):
    for n in range(15):
        person = Person.objects.create(
            org=cast.org, unit=cast.other_section, name=f"干部{n}", code=f"q{n:02}"
        )
        Subject.objects.create(assessment=bw.assessment, person=person)
    assert bw.assessment.subjects.count() == 20
    client.force_login(cast.handler)
    url = reverse("ballots:vote", args=[bw.round.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert page.count('value="unknown"') == 19  # everyone but the handler


# --- results ----------------------------------------------------------------------


def test_results_after_close_with_distribution(client, cast, bw):
    vote_all(cast, bw)
    url = reverse("ballots:results", args=[bw.round.pk])
    page = _get(client, cast.office, url)
    assert "结束后才公布" in page and "87.50" not in page  # no live counts while open
    ballot_round_close(actor=cast.office, ballot_round=bw.round)
    page = _get(client, cast.leader, url)  # a reviewer
    assert "周敏（科员） · 87.50 分" in page
    assert "1（25.0%）" in page  # 优秀 1 of 周敏's 4 ballots
    assert "有效票 2 张，少于最少有效票 3 张" in page  # 张伟


def test_results_only_for_office_and_reviewers(client, cast, bw):
    ballot_round_close(actor=cast.office, ballot_round=bw.round)
    url = reverse("ballots:results", args=[bw.round.pk])
    _get(client, cast.handler, url, 403)
    _get(client, cast.head, url, 403)
    _get(client, cast.outsider, url, 404)


def test_results_query_count(client, cast, bw, django_assert_max_num_queries):
    vote_all(cast, bw)
    ballot_round_close(actor=cast.office, ballot_round=bw.round)
    client.force_login(cast.office)
    with django_assert_max_num_queries(10):
        client.get(reverse("ballots:results", args=[bw.round.pk]))
