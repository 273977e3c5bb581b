"""Nodes another source feeds: shown read-only with their source, refused by the scoring service.

Two worlds: the peer-ballot world of ``tests/ballots`` (node duty.peer of the
town-cadre scheme, every subject) and the public appraisal world of
``tests/appraisal`` (node ``public``; the questionnaire rates 经济发展办 and 白莲村,
not 社会事务办). Values by hand in tests/ballots/test_services.py and
tests/appraisal/test_results.py.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jixiao.appraisal.services import round_close
from jixiao.assessments.models import Assessment, Score, Status, Subject
from jixiao.assessments.selectors import scoring_cards, todo_for
from jixiao.assessments.services import (
    ScoreInput,
    assessment_create,
    assessment_open_scoring,
    score_save,
    scores_save,
)
from jixiao.assessments.sources import BALLOT, PUBLIC, fed_sources
from jixiao.ballots.services import ballot_round_close
from jixiao.organisation.access import access_for
from jixiao.years.models import SubjectKind
from tests.appraisal.respondent_world import RespondentWorld, build_respondent_world
from tests.appraisal.test_results import answer_case
from tests.ballots.test_services import vote_all
from tests.ballots.world import BallotWorld, build_ballot_world

pytestmark = pytest.mark.django_db


# --- peer ballots -----------------------------------------------------------------------


@pytest.fixture
def bw(cast) -> BallotWorld:
    world = build_ballot_world(cast)
    Assessment.objects.filter(pk=world.assessment.pk).update(status=Status.SCORING)
    world.assessment.refresh_from_db()
    return world


def _card(assessment, subject: Subject):
    [card] = scoring_cards(assessment, subject.pk)
    return card


def test_the_ballot_node_is_shown_with_its_source_not_offered(cast, bw):
    card = _card(bw.assessment, bw.subjects["other"])
    keys = [c.entry.key for c in card.cells]
    assert "duty.peer" not in keys and "duty.head" in keys
    [line] = card.fed
    assert line.entry.key == "duty.peer" and line.source.kind == BALLOT
    assert line.text == "民主测评《第一季度民主测评》：测评进行中，结束后自动计入"
    assert line.url == reverse("ballots:results", args=[bw.round.pk])


def test_a_closed_ballot_shows_its_score_or_why_there_is_none(cast, bw):
    vote_all(cast, bw)
    ballot_round_close(actor=cast.office, ballot_round=bw.round)
    [line] = _card(bw.assessment, bw.subjects["other"]).fed
    assert line.text == "民主测评《第一季度民主测评》：87.50（有效票 3 张）"
    [line] = _card(bw.assessment, bw.subjects["head"]).fed
    assert line.text == (
        "民主测评《第一季度民主测评》：有效票不足，不计分（有效票 2 张，少于最少有效票 3 张）"
    )


def test_a_score_for_the_ballot_node_is_refused_by_name_and_nothing_is_saved(cast, bw):
    subject = bw.subjects["other"]
    with pytest.raises(ValidationError) as caught:
        scores_save(
            actor=cast.leader,
            subject=subject,
            inputs=[ScoreInput("duty.head", 100), ScoreInput("duty.peer", 90, "测评偏低")],
        )
    assert caught.value.message_dict == {
        "duty.peer": ["民主测评（duty.peer） 由民主测评《第一季度民主测评》计分，不由领导小组评分"]
    }
    assert not Score.objects.exists()
    # The node nobody else feeds stays the scorers'.
    assert score_save(actor=cast.leader, subject=subject, node="duty.head", value=100).value == 100


# --- public appraisal -------------------------------------------------------------------


@pytest.fixture
def rw(cast) -> RespondentWorld:
    world = build_respondent_world(cast)
    answer_case(world)
    return world


@pytest.fixture
def units(cast, rw) -> Assessment:
    assessment = assessment_create(
        actor=cast.office, year=rw.year, period=rw.period, subject_kind=SubjectKind.UNIT
    )
    return assessment_open_scoring(actor=cast.office, assessment=assessment)


def _subject(assessment, unit) -> Subject:
    return assessment.subjects.get(unit=unit)


def test_the_public_node_is_fed_for_the_units_the_questionnaire_rates(cast, rw, units):
    sources = fed_sources(units)
    assert sources["public"].kind == PUBLIC and not sources["public"].closed
    section = _card(units, _subject(units, cast.section))
    assert "public" not in [c.entry.key for c in section.cells]
    [line] = section.fed
    assert line.text == "公众评议《2024年7月公众评议》：评议进行中，结束后自动计入"
    assert line.url == reverse("appraisal_results:detail", args=[rw.round.pk])
    other = _card(units, _subject(units, cast.other_section))
    assert "public" in [c.entry.key for c in other.cells] and other.fed == []


def test_a_closed_round_shows_the_index_or_that_it_is_suppressed(cast, rw, units):
    round_close(actor=cast.office, appraisal_round=rw.round)
    [line] = _card(units, _subject(units, cast.section)).fed
    assert line.text == "公众评议《2024年7月公众评议》：79.67 ± 9.15（12 份答卷）"
    [line] = _card(units, _subject(units, cast.village)).fed
    assert line.text == "公众评议《2024年7月公众评议》：答卷不足，不公布"


def test_a_public_score_is_refused_for_a_rated_unit_only(cast, rw, units):
    with pytest.raises(ValidationError) as caught:
        score_save(
            actor=cast.leader,
            subject=_subject(units, cast.section),
            node="public",
            value=50,
            reason="自填",
        )
    assert caught.value.messages == [
        "公众评议（public） 由公众评议《2024年7月公众评议》计分，不由领导小组评分"
    ]
    assert not Score.objects.exists()
    other = _subject(units, cast.other_section)
    saved = score_save(actor=cast.leader, subject=other, node="public", value=50, reason="自填")
    assert saved.value == 50


def test_the_latest_closed_round_of_a_node_is_its_source(cast, rw, units):
    round_close(actor=cast.office, appraisal_round=rw.round)
    later = type(rw.round).objects.get(pk=rw.round.pk)
    later.pk = None
    later.name = "2024年12月公众评议"
    later.status = "collecting"
    later.save()
    # An open round after a closed one: the closed round still gives the value.
    assert fed_sources(units)["public"].round_id == rw.round.pk


def test_todo_clears_once_every_offered_value_is_entered(cast, rw, units):
    def score_todo():
        return [t for t in todo_for(access_for(cast.leader)) if t.kind == "score"]

    [todo] = score_todo()
    cards = scoring_cards(units)
    offered = sum(1 for card in cards for c in card.cells if not c.entry.optional)
    assert todo.count == offered  # the rated units are not asked for ``public``
    for card in cards:
        inputs = [
            ScoreInput(c.entry.key, c.entry.full if c.entry.full is not None else 0)
            for c in card.cells
            if not c.entry.optional
        ]
        scores_save(actor=cast.leader, subject=card.subject, inputs=inputs)
    assert score_todo() == []
