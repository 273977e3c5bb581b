"""Peer-ballot services: set-up, voting, closing and results computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jixiao.assessments.models import Status, Subject
from jixiao.audit.models import AuditEvent
from jixiao.ballots import services
from jixiao.ballots.models import Ballot, BallotLedger, BallotRound, RaterGroup, RoundStatus
from jixiao.ballots.selectors import excluded_subject_ids, open_ballots_for, round_results, self_of
from jixiao.ballots.services import (
    GroupSpec,
    ballot_round_close,
    ballot_round_create,
    ballot_submit,
)
from jixiao.organisation.models import TaskForce
from tests.ballots.world import make_assessment

pytestmark = pytest.mark.django_db

E, C, B, X, U = "excellent", "competent", "basic", "incompetent", "unknown"

# Who chose what for whom (subject keys of the world); nobody rates themselves.
VOTES = {
    "leader": {"other": E, "cadre": E, "head": C, "handler": X},
    "head": {"other": C, "cadre": C, "leader": E, "handler": C},
    "handler": {"other": B, "cadre": X, "leader": C, "head": E},
    "cadre": {"other": U, "leader": B, "head": U, "handler": E},
}


def vote_all(cast, bw) -> None:
    for rater, sheet in VOTES.items():
        ballot_submit(
            rater=getattr(cast, rater),
            ballot_round=bw.round,
            choices={bw.subjects[key].pk: choice for key, choice in sheet.items()},
        )


# --- set-up -----------------------------------------------------------------------


def test_round_defaults_and_audit_with_counts_only(cast, bw):
    ballot_round = ballot_round_create(
        actor=cast.office, assessment=bw.assessment, node="central.peer", title="中心工作测评"
    )
    assert ballot_round.min_valid == 3
    assert ballot_round.status == RoundStatus.OPEN
    assert ballot_round.points == {
        "excellent": "95",
        "competent": "85",
        "basic": "75",
        "incompetent": "65",
    }
    groups = list(RaterGroup.objects.filter(round=ballot_round).values_list("name", "weight"))
    assert groups == [("领导", Decimal(30)), ("同级", Decimal(30)), ("群众", Decimal(40))]
    event = AuditEvent.objects.get(action="ballot_round.open", object_id=str(ballot_round.pk))
    assert event.after == {"subjects": 5, "groups": 3, "raters": 0}
    world_event = AuditEvent.objects.get(action="ballot_round.open", object_id=str(bw.round.pk))
    assert world_event.after == {"subjects": 5, "groups": 3, "raters": 4}  # head counted once


def test_custom_points_are_kept(cast, bw):
    ballot_round = ballot_round_create(
        actor=cast.office,
        assessment=bw.assessment,
        node="central.peer",
        title="测评",
        points={"excellent": "100", "competent": 80, "basic": "60.5", "incompetent": 40},
        min_valid=1,
    )
    assert ballot_round.points["basic"] == "60.5"
    assert ballot_round.min_valid == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"node": "duty"}, "node"),  # a split node, not a score leaf
        ({"node": "results"}, "node"),  # a node of another scheme
        ({"node": "duty.peer"}, "node"),  # already has a round
        ({"title": "  "}, "title"),
        ({"min_valid": 0}, "min_valid"),
        ({"points": {"excellent": 80, "competent": 85}}, "points"),  # not falling
        ({"points": {"excellent": 120}}, "points"),  # above the node's scale
        ({"points": {"excellent": "九十"}}, "points"),
        ({"points": {"great": 99}}, "points"),
        ({"groups": [GroupSpec("领导", 30), GroupSpec("群众", 40)]}, "weight"),
        ({"groups": [GroupSpec("领导", 0), GroupSpec("群众", 100)]}, "weight"),
        ({"groups": [GroupSpec("领导", 50), GroupSpec("领导", 50)]}, "groups"),
        ({"groups": []}, "groups"),
    ],
)
def test_bad_set_up_names_the_field_and_saves_nothing(cast, bw, kwargs, field):
    args = {"node": "central.peer", "title": "测评", **kwargs}
    before = BallotRound.objects.count(), RaterGroup.objects.count()
    with pytest.raises(ValidationError) as caught:
        ballot_round_create(actor=cast.office, assessment=bw.assessment, **args)
    assert field in caught.value.message_dict
    assert (BallotRound.objects.count(), RaterGroup.objects.count()) == before


def test_weights_error_states_the_sum(cast, bw):
    with pytest.raises(ValidationError) as caught:
        ballot_round_create(
            actor=cast.office,
            assessment=bw.assessment,
            node="central.peer",
            title="测评",
            groups=[GroupSpec("领导", 30), GroupSpec("群众", 40)],
        )
    assert caught.value.message_dict["weight"] == ["测评组权重之和应为 100，现为 70"]


def test_raters_must_belong_to_the_org(cast, bw):
    with pytest.raises(ValidationError) as caught:
        ballot_round_create(
            actor=cast.office,
            assessment=bw.assessment,
            node="central.peer",
            title="测评",
            groups=[GroupSpec("群众", 100, [cast.outsider])],
        )
    assert "outsider" in caught.value.message_dict["raters"][0]


def test_no_round_on_a_final_assessment(cast, bw):
    bw.assessment.status = Status.FINAL
    bw.assessment.save()
    with pytest.raises(ValidationError) as caught:
        ballot_round_create(
            actor=cast.office, assessment=bw.assessment, node="central.peer", title="测评"
        )
    assert "assessment" in caught.value.message_dict


# --- voting -----------------------------------------------------------------------


def test_submit_writes_a_ledger_row_and_a_ballot_per_subject(cast, bw):
    sheet = VOTES["head"]
    count = ballot_submit(
        rater=cast.head,
        ballot_round=bw.round,
        choices={bw.subjects[k].pk: c for k, c in sheet.items()},
    )
    assert count == 4
    ledger = BallotLedger.objects.filter(round=bw.round, rater=cast.head)
    assert {row.subject_id for row in ledger} == {bw.subjects[k].pk for k in sheet}
    ballots = Ballot.objects.filter(round=bw.round)
    assert sorted((b.subject_id, b.choice) for b in ballots) == sorted(
        (bw.subjects[k].pk, c) for k, c in sheet.items()
    )
    # The head is in 同级 and 群众: they vote once, in the first group listed.
    assert {b.group.name for b in ballots} == {"同级"}


def test_ballots_are_inserted_in_shuffled_order(cast, bw, monkeypatch):
    seen = []

    def spy(items):
        seen.append([getattr(i, "subject_id", None) for i in items])
        items.reverse()

    monkeypatch.setattr(services, "_shuffle", spy)
    ballot_submit(
        rater=cast.leader,
        ballot_round=bw.round,
        choices={bw.subjects[k].pk: c for k, c in VOTES["leader"].items()},
    )
    assert len(seen) == 1 and sorted(seen[0]) == sorted(bw.subjects[k].pk for k in VOTES["leader"])


def test_second_submission_is_refused_and_nothing_changes(cast, bw):
    choices = {bw.subjects[k].pk: c for k, c in VOTES["cadre"].items()}
    ballot_submit(rater=cast.cadre, ballot_round=bw.round, choices=choices)
    with pytest.raises(ValidationError):
        ballot_submit(rater=cast.cadre, ballot_round=bw.round, choices=choices)
    with pytest.raises(ValidationError):  # even for a single already-voted subject
        ballot_submit(rater=cast.cadre, ballot_round=bw.round, choices={bw.subjects["other"].pk: E})
    assert Ballot.objects.count() == 4
    assert BallotLedger.objects.count() == 4


def test_incomplete_sheet_is_refused_whole(cast, bw):
    choices = {bw.subjects[k].pk: c for k, c in VOTES["handler"].items()}
    del choices[bw.subjects["head"].pk]
    with pytest.raises(ValidationError) as caught:
        ballot_submit(rater=cast.handler, ballot_round=bw.round, choices=choices)
    assert f"subject_{bw.subjects['head'].pk}" in caught.value.message_dict
    choices[bw.subjects["head"].pk] = "great"  # not a choice
    with pytest.raises(ValidationError):
        ballot_submit(rater=cast.handler, ballot_round=bw.round, choices=choices)
    assert not Ballot.objects.exists() and not BallotLedger.objects.exists()


def test_no_self_rating(cast, bw):
    choices = {bw.subjects[k].pk: c for k, c in VOTES["handler"].items()}
    choices[bw.subjects["handler"].pk] = E
    with pytest.raises(ValidationError) as caught:
        ballot_submit(rater=cast.handler, ballot_round=bw.round, choices=choices)
    assert "subject" in caught.value.message_dict
    assert not Ballot.objects.exists()


def test_subject_of_another_assessment_is_refused(cast, bw):
    choices = {bw.subjects[k].pk: c for k, c in VOTES["leader"].items()}
    choices[999999] = E
    with pytest.raises(ValidationError):
        ballot_submit(rater=cast.leader, ballot_round=bw.round, choices=choices)
    assert not Ballot.objects.exists()


def test_non_rater_cannot_vote(cast, bw):
    with pytest.raises(PermissionDenied):
        ballot_submit(rater=cast.office, ballot_round=bw.round, choices={})


def test_no_votes_after_close_or_on_final_assessment(cast, bw):
    choices = {bw.subjects[k].pk: c for k, c in VOTES["leader"].items()}
    bw.assessment.status = Status.FINAL
    bw.assessment.save()
    with pytest.raises(ValidationError):
        ballot_submit(rater=cast.leader, ballot_round=bw.round, choices=choices)
    bw.assessment.status = Status.SCORING
    bw.assessment.save()
    ballot_round_close(actor=cast.office, ballot_round=bw.round)
    with pytest.raises(ValidationError):
        ballot_submit(rater=cast.leader, ballot_round=bw.round, choices=choices)
    assert not Ballot.objects.exists()


# --- who is oneself ----------------------------------------------------------------


def test_self_covers_own_person_own_unit_headed_units_and_task_forces(cast, bw):
    force = TaskForce.objects.create(org=cast.org, name="项目攻坚组", leader=cast.cadre_person)
    force.members.set([cast.handler_person])
    head, handler, cadre = (self_of(u, cast.org) for u in (cast.head, cast.handler, cast.cadre))
    assert head.covers(Subject(person=cast.head_person))
    assert not head.covers(Subject(person=cast.handler_person))
    assert head.covers(Subject(unit=cast.section))  # the section they head
    assert not head.covers(Subject(unit=cast.other_section))
    assert handler.covers(Subject(unit=cast.section))  # their own unit
    assert handler.covers(Subject(task_force=force)) and cadre.covers(Subject(task_force=force))
    assert not head.covers(Subject(task_force=force))
    assert excluded_subject_ids(bw.round, cast.head) == {bw.subjects["head"].pk}


# --- open rounds -------------------------------------------------------------------


def test_open_ballots_for(cast, bw):
    [entry] = open_ballots_for(cast.head)
    assert (entry.round, entry.group.name, entry.subjects, entry.pending) == (
        bw.round,
        "同级",
        4,
        4,
    )
    assert open_ballots_for(cast.office) == []
    assert open_ballots_for(cast.outsider) == []
    vote_all(cast, bw)
    [entry] = open_ballots_for(cast.head)
    assert entry.voted
    assert open_ballots_for(cast.head, pending_only=True) == []
    # A subject added later is pending again.
    Subject.objects.create(assessment=bw.assessment, unit=cast.village)
    assert open_ballots_for(cast.head, pending_only=True)[0].pending == 1


def test_open_ballots_hides_closed_rounds_and_final_assessments(cast, bw):
    bw.assessment.status = Status.FINAL
    bw.assessment.save()
    assert open_ballots_for(cast.head) == []
    bw.assessment.status = Status.SCORING
    bw.assessment.save()
    ballot_round_close(actor=cast.office, ballot_round=bw.round)
    assert open_ballots_for(cast.head) == []


# --- close -------------------------------------------------------------------------


def test_close_rewrites_ballots_keeps_counts_and_audits_counts(cast, bw):
    vote_all(cast, bw)
    before_ids = set(Ballot.objects.values_list("pk", flat=True))
    before = sorted(Ballot.objects.values_list("subject_id", "group_id", "choice"))
    ballot_round_close(actor=cast.office, ballot_round=bw.round)
    assert sorted(Ballot.objects.values_list("subject_id", "group_id", "choice")) == before
    assert not before_ids & set(Ballot.objects.values_list("pk", flat=True))
    bw.round.refresh_from_db()
    assert bw.round.status == RoundStatus.CLOSED
    event = AuditEvent.objects.get(action="ballot_round.close")
    assert event.after == {"voters": 4, "ballots": 16}
    with pytest.raises(ValidationError):
        ballot_round_close(actor=cast.office, ballot_round=bw.round)


# --- results by hand ---------------------------------------------------------------


def test_results_by_hand(cast, bw):
    vote_all(cast, bw)
    results = round_results(bw.round)
    by_key = {key: results[s.pk] for key, s in bw.subjects.items()}
    # 周敏: 领导 95; 同级 (85 + 75) / 2 = 80; 群众 only 不了解 → left out,
    # weights renormalised over 30 + 30: (95×30 + 80×30) / 60 = 87.5.
    other = by_key["other"]
    assert other.score == Decimal("87.50")
    assert other.valid == 3 and other.ballots == 4
    assert other.counts == {E: 1, C: 1, B: 1, X: 0, U: 1}
    assert [(g.name, g.valid, g.mean) for g in other.per_group] == [
        ("领导", 1, Decimal(95)),
        ("同级", 2, Decimal(80)),
        ("群众", 0, None),
    ]
    # 陈静: 领导 95; 同级 (85 + 65) / 2 = 75 → (2850 + 2250) / 60 = 85.
    assert by_key["cadre"].score == Decimal("85.00")
    # 李建国: 同级 (95 + 85) / 2 = 90; 群众 75 → (2700 + 3000) / 70 = 81.428… → 81.43.
    assert by_key["leader"].score == Decimal("81.43")
    # 刘洋: 65×30 + 85×30 + 95×40 = 8300 → 83.
    assert by_key["handler"].score == Decimal("83.00")
    # 张伟: 称职 and 优秀 valid, 不了解 not: 2 valid < 3 → no score, and why.
    head = by_key["head"]
    assert head.score is None and head.valid == 2
    assert head.reason == "有效票 2 张，少于最少有效票 3 张"


def test_distribution_percentages(cast, bw):
    vote_all(cast, bw)
    other = round_results(bw.round)[bw.subjects["other"].pk]
    assert [(label, n, pct) for label, n, pct in other.distribution] == [
        ("优秀", 1, Decimal("25.0")),
        ("称职", 1, Decimal("25.0")),
        ("基本称职", 1, Decimal("25.0")),
        ("不称职", 0, Decimal("0.0")),
        ("不了解", 1, Decimal("25.0")),
    ]
    peers = other.per_group[1]
    assert peers.distribution[1] == ("称职", 1, Decimal("50.0"))
    assert other.per_group[0].distribution[0] == ("优秀", 1, Decimal("100.0"))


def test_results_with_custom_points(cast, bw):
    ballot_round = ballot_round_create(
        actor=cast.office,
        assessment=bw.assessment,
        node="central.peer",
        title="中心工作",
        min_valid=1,
        points={"excellent": 100, "competent": 80, "basic": 60, "incompetent": 0},
        groups=[GroupSpec("全体", 100, [cast.leader, cast.head])],
    )
    target = bw.subjects["other"].pk
    pending = {s.pk: U for s in bw.subjects.values()}
    for rater, choice in ((cast.leader, E), (cast.head, B)):
        choices = {**pending, target: choice}
        me = excluded_subject_ids(ballot_round, rater)
        ballot_submit(
            rater=rater,
            ballot_round=ballot_round,
            choices={k: v for k, v in choices.items() if k not in me},
        )
    # (100 + 60) / 2 = 80.
    assert round_results(ballot_round)[target].score == Decimal("80.00")


def test_results_for_a_subject_without_ballots(cast, bw):
    result = round_results(bw.round)[bw.subjects["other"].pk]
    assert result.score is None and result.valid == 0 and result.ballots == 0
    assert "少于最少有效票 3 张" in result.reason


def test_other_assessment_rounds_are_independent(cast, bw):
    other = make_assessment(bw.year, kind="task_force")
    ballot_round = ballot_round_create(
        actor=cast.office, assessment=other, node="ballot", title="指挥组测评"
    )
    assert round_results(ballot_round) == {}
