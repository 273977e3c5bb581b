"""Background tasks: reminder emails for milestones that are due soon or overdue.

Django's tasks framework runs them. Django 6 ships ``django.tasks`` (the API)
but no backend that queues work for a worker; on Django 5.2 the API is the
``django-tasks`` backport. We use ONE queueing package on both: ``django-tasks-db``
(``django_tasks_db.DatabaseBackend`` + ``db_worker``). It targets Django 5.2 and
6.x, imports ``django.tasks`` when present and falls back to the backport (its
``[compat]`` extra, installed only for Python < 3.12, i.e. Django 5.2). The
backport alone no longer carries a database backend (split out in 0.12), so it
could not be the one package.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

try:  # Django >= 6.0
    from django.tasks import task
except ImportError:  # Django 5.2: the backport, pulled in by django-tasks-db[compat]
    from django_tasks import task

from jixiao.organisation.models import Person
from jixiao.progress.selectors import RED, YELLOW, Light, milestone_lights
from jixiao.targets.models import Assignment, Responsibility, Target


def reminders_due(day: date) -> dict[Person, list[Light]]:
    """Handlers with a login and an email address → their yellow and red milestones."""
    targets = Target.objects.filter(year__year=day.year).select_related("year")
    lights = [light for light in milestone_lights(targets, day) if light.colour in (YELLOW, RED)]
    if not lights:
        return {}
    handlers = (
        Assignment.objects.filter(
            target_id__in={light.target.pk for light in lights},
            responsibility=Responsibility.HANDLER,
            person__is_active=True,
            person__user__isnull=False,
        )
        .exclude(person__user__email="")
        .select_related("person__user")
    )
    people_of: dict[int, list[Person]] = defaultdict(list)
    for assignment in handlers:
        people_of[assignment.target_id].append(assignment.person)
    due: dict[Person, list[Light]] = defaultdict(list)
    for light in lights:
        for person in people_of.get(light.target.pk, []):
            due[person].append(light)
    return dict(due)


def _body(person: Person, lights: list[Light]) -> str:
    lines = [f"{person.name}，您好：", "", "以下进度节点需要报送进度："]
    for light in lights:
        state = (
            f"已逾期 {-light.days_left} 天"
            if light.colour == RED
            else f"{light.days_left} 天后到期"
        )
        lines.append(
            f"- {light.target.code} {light.target.title}：{light.milestone.period.name}"
            f"（{light.due:%Y-%m-%d}，{state}）{light.milestone.description}"
        )
    lines += ["", "请登录绩效管理平台，在“过程”页面报送。"]
    return "\n".join(lines)


@task()
def send_reminders(day: str | None = None) -> int:
    """Email every handler whose milestones are yellow or red on ``day`` (ISO date).

    The date travels as a string: task arguments must be JSON. Returns emails sent.
    """
    on = date.fromisoformat(day) if day else timezone.localdate()
    sent = 0
    for person, lights in sorted(reminders_due(on).items(), key=lambda item: item[0].code):
        sent += send_mail(
            subject=f"【绩效】{len(lights)} 个进度节点待报送",
            message=_body(person, lights),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[person.user.email],
        )
    return sent
