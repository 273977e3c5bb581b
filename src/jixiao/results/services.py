"""Writes for published results."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jixiao.audit.services import audit_record
from jixiao.rankings.competition import CompetitionResult, competition_for
from jixiao.results.models import CompetitionPublication
from jixiao.years.models import Period


def _summary(result: CompetitionResult) -> dict[str, str]:
    def names(entries) -> str:
        return "、".join(f"{e.label} {e.total}" for e in entries)

    return {"best": names(result.best), "last": names(result.last), "bottom": names(result.bottom)}


@transaction.atomic
def competition_publish(*, actor, period: Period) -> CompetitionPublication:
    """Publish (or republish) the month's competition from its published assessments.

    Needs the month's task-force assessment with at least two scored groups and
    the month's person assessment, both under notice or final.
    """
    # The published record is an official notice: its notes are written in Chinese
    # whatever language the office works in (as responsibility letters and PDFs are).
    with override(settings.LANGUAGE_CODE):
        result = competition_for(period)
    if result is None:
        raise ValidationError(
            {
                "period": _("%(period)s：指挥组考核尚未公示或计分的指挥组不足两个")
                % {"period": period}
            }
        )
    if not result.complete:
        raise ValidationError(
            {"period": _("%(period)s：个人考核尚未公示，无法评出末2位成员") % {"period": period}}
        )
    org = period.year.org
    previous = CompetitionPublication.objects.filter(period=period).first()
    before = _summary(CompetitionResult.from_json(previous.result)) if previous else None
    publication, __ = CompetitionPublication.objects.update_or_create(
        period=period,
        defaults={
            "org": org,
            "result": result.to_json(),
            "published_by": actor,
            "published_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="competition.publish",
        obj=publication,
        org=org,
        summary=f"发布 {result.period_label} 指挥组月度评比",
        before=before,
        after=_summary(result),
    )
    return publication
