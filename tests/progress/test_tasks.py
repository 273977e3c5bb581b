"""Reminder emails: who gets one, what it says, and that the task can be enqueued."""

from __future__ import annotations

import pytest
from django.core import mail

from jixiao.progress import tasks
from jixiao.progress.services import report_submit
from jixiao.targets.services import milestone_set
from tests.progress.helpers import dekad, period

pytestmark = pytest.mark.django_db

try:  # Django >= 6.0
    from django.tasks import TaskResultStatus

    IMMEDIATE = "django.tasks.backends.immediate.ImmediateBackend"
except ImportError:  # the backport on Django 5.2
    from django_tasks import TaskResultStatus

    IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


@pytest.fixture
def due(cast, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cast.handler.email = "liuyang@example.cn"
    cast.handler.save()
    y = world.year
    # A01 (handler 刘洋): 3月上旬 due 3/10, 3月 due 3/31. C01 (cadre 陈静, no email).
    milestone_set(actor=cast.office, target=world.a01, period=dekad(y, 3, 1), description="开工")
    milestone_set(
        actor=cast.office, target=world.a01, period=period(y, "month", 3), description="月度"
    )
    milestone_set(actor=cast.office, target=world.c01, period=dekad(y, 3, 1), description="整治")
    return world


def test_handler_with_email_gets_one_email_listing_yellow_and_red(due):
    sent = tasks.send_reminders.call("2024-03-29")
    assert sent == 1
    (message,) = mail.outbox
    assert message.to == ["liuyang@example.cn"]
    assert "2 个进度节点" in message.subject
    assert "3月上旬" in message.body and "已逾期 19 天" in message.body
    assert "3月" in message.body and "2 天后到期" in message.body
    assert "C01" not in message.body  # the cadre has no email address


def test_nobody_is_reminded_when_all_is_green(cast, due):
    report_submit(
        actor=cast.handler,
        target=due.a01,
        period=dekad(due.year, 3, 1),
        reporter=cast.handler_person,
        value=None,
        narrative="已开工",
    )
    assert tasks.send_reminders.call("2024-03-05") == 0  # 3/10 is 5 days away
    assert tasks.send_reminders.call("2024-03-12") == 0  # reported
    assert mail.outbox == []


def test_enqueue_runs_with_the_immediate_backend(settings, due):
    settings.TASKS = {"default": {"BACKEND": IMMEDIATE}}
    result = tasks.send_reminders.enqueue("2024-03-29")
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert len(mail.outbox) == 1


def test_configured_backend_is_the_database_queue(settings):
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
