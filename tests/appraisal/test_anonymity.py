"""Public appraisal anonymity is structural: the schema, the audit log, one answer per code."""

from __future__ import annotations

import json
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, connections, models

from jixiao.appraisal.models import (
    InvitationCode,
    Respondent,
    Response,
    SampleMember,
)
from jixiao.appraisal.responses import codes_issue, response_submit
from jixiao.appraisal.services import round_close
from jixiao.audit.models import AuditEvent
from tests.appraisal.respondent_world import build_respondent_world


def test_response_has_no_link_to_a_person_a_code_or_a_time():
    forbidden = {get_user_model(), SampleMember, Respondent, InvitationCode}
    for field in Response._meta.get_fields():
        assert not (field.is_relation and field.related_model in forbidden), field.name
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
        assert not isinstance(field, models.GenericIPAddressField)
        assert "ip" not in field.name.lower()
        assert "code" not in field.name.lower()
    assert isinstance(Response._meta.pk, models.UUIDField)
    assert {f.name for f in Response._meta.concrete_fields} == {
        "id",
        "round",
        "stratum",
        "mode",
        "answers",
    }


def test_an_interviewers_claim_is_on_the_member_never_on_the_response():
    # The claim says who is calling whom; the response must not be reachable from it.
    claim_fields = {"claimed_by", "claimed_until"}
    assert claim_fields <= {f.name for f in SampleMember._meta.concrete_fields}
    assert not claim_fields & {f.name for f in Response._meta.get_fields()}
    assert not any(
        f.is_relation and f.related_model is SampleMember for f in Response._meta.get_fields()
    )


def test_the_code_says_whether_it_was_used_never_what_was_answered():
    names = {f.name for f in InvitationCode._meta.concrete_fields}
    assert names == {"id", "round", "code_hash", "stratum", "member", "used"}


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
def test_answering_writes_nothing_to_the_audit_log_and_closing_only_counts(cast):
    rw = build_respondent_world(cast)
    codes = codes_issue(actor=cast.office, round=rw.round, count_by_stratum={"城镇居民": 3})
    events = AuditEvent.objects.count()
    texts = ["下水道堵了三个月", "路灯坏了", "希望多开夜班车"]
    for code, text in zip(codes, texts, strict=True):
        response_submit(round=rw.round, answers=rw.answers(text=text), mode="web", code=code)
    assert AuditEvent.objects.count() == events  # answering itself is not audited
    round_close(actor=cast.office, appraisal_round=rw.round)
    ids = {str(pk) for pk in Response.objects.values_list("pk", flat=True)}
    ids |= {pk.replace("-", "") for pk in ids}
    all_texts = _audit_texts()
    assert any("round_close" in t for t in all_texts)
    for text in all_texts:
        assert not any(pk in text for pk in ids), text
        assert not any(answer in text for answer in texts), text
        assert not any(code in text for code in codes), text


@pytest.mark.django_db
def test_a_used_code_cannot_answer_again(cast):
    rw = build_respondent_world(cast)
    [code] = codes_issue(actor=cast.office, round=rw.round, count_by_stratum={"企业主": 1})
    response_submit(round=rw.round, answers=rw.answers(), mode="web", code=code)
    for attempt in (code, code.lower(), f"{code[:5]}-{code[5:]}"):
        with pytest.raises(ValidationError, match="已使用"):
            response_submit(round=rw.round, answers=rw.answers(s1=1), mode="web", code=attempt)
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_code_at_once_store_one_response(cast):
    """Each thread has its own connection; the database decides who wins."""
    rw = build_respondent_world(cast)
    [code] = codes_issue(actor=cast.office, round=rw.round, count_by_stratum={"企业主": 1})
    start = threading.Barrier(4)
    outcomes: list[str] = []
    lock = threading.Lock()

    def answer(level: int) -> None:
        try:
            start.wait()
            response_submit(round=rw.round, answers=rw.answers(s1=level), mode="web", code=code)
        except ValidationError as exc:
            result = "refused" if "已使用" in str(exc) else f"error {exc}"
        except Exception as exc:  # a database error would be a bug: make it visible
            result = f"crash {exc!r}"
        else:
            result = "stored"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=answer, args=(level,)) for level in (1, 2, 4, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused", "refused", "refused", "stored"], outcomes
    assert Response.objects.count() == 1
    assert InvitationCode.objects.get().used
    assert connection.vendor in {"sqlite", "postgresql"}
