"""Anonymity is structural: the schema, the audit log and what a rater can see again."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import models

from jixiao.audit.models import AuditEvent
from jixiao.ballots.models import Ballot, BallotLedger, Choice
from jixiao.ballots.services import ballot_round_close
from tests.ballots.test_services import vote_all


def test_ballot_has_no_user_no_time_and_a_uuid_key():
    user_model = get_user_model()
    for field in Ballot._meta.get_fields():
        assert not (field.is_relation and field.related_model is user_model), field.name
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
        assert "ip" not in field.name.lower()
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    assert {f.name for f in Ballot._meta.concrete_fields} == {
        "id",
        "round",
        "subject",
        "group",
        "choice",
    }


def test_ledger_says_nothing_about_the_choice():
    names = {f.name for f in BallotLedger._meta.concrete_fields}
    assert names == {"id", "round", "rater", "subject"}
    for field in BallotLedger._meta.concrete_fields:
        assert field.choices is None or set(dict(field.choices)) != set(Choice.values)


def _audit_texts() -> list[str]:
    return [
        " ".join(
            [
                e.action,
                e.object_type,
                e.object_id,
                e.summary,
                json.dumps(e.before, ensure_ascii=False),
                json.dumps(e.after, ensure_ascii=False),
            ]
        )
        for e in AuditEvent.objects.all()
    ]


@pytest.mark.django_db
def test_audit_log_never_names_a_ballot_a_choice_or_who_rated_whom(cast, bw):
    events = AuditEvent.objects.count()
    vote_all(cast, bw)
    assert AuditEvent.objects.count() == events  # voting itself is not audited
    ids = {str(pk) for pk in Ballot.objects.values_list("pk", flat=True)}
    ballot_round_close(actor=cast.office, ballot_round=bw.round)
    ids |= {str(pk) for pk in Ballot.objects.values_list("pk", flat=True)}
    ids |= {pk.replace("-", "") for pk in ids}
    choices = set(Choice.values) | {str(label) for label in Choice.labels}
    raters = {key: getattr(cast, key) for key in ("leader", "head", "handler", "cadre")}
    rater_marks = {
        key: {u.username, u.person.name, f"{u.last_name}{u.first_name}"}
        for key, u in raters.items()
    }
    subject_marks = {key: {s.person.name, str(s)} for key, s in bw.subjects.items()}
    texts = _audit_texts()
    assert any("ballot_round.close" in t for t in texts)
    for text in texts:
        assert not any(pk in text for pk in ids)
        assert not any(choice in text for choice in choices), text
        # A rater beside another subject would say who rated whom. One person named
        # alone (the record of their creation: name and login) says nothing of a ballot.
        for me, marks in rater_marks.items():
            if any(m in text for m in marks):
                others = [subject for key, subject in subject_marks.items() if key != me]
                assert not any(any(m in text for m in subject) for subject in others), text
