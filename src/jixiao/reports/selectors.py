"""Who may print which report.

Published (公示/定案) results print for those who may see them; before that only
the office may print, and then as a preview marked 预览稿. A unit's report
carries its self-evaluation, so it prints only for those who may read that:
the office, the leadership group (reviewers) and whoever answers for the subject.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.assessments.models import Assessment, Subject
from jixiao.assessments.selectors import is_responsible, is_reviewer
from jixiao.organisation.access import Access
from jixiao.rankings.competition import CompetitionResult, competition_for
from jixiao.rankings.selectors import PUBLISHED_STATUSES
from jixiao.results.selectors import publication_for
from jixiao.years.models import Period


def is_published(assessment: Assessment) -> bool:
    return assessment.status in PUBLISHED_STATUSES


def check_unit_report(access: Access, subject: Subject) -> None:
    """PermissionDenied unless the user may print this subject's report now."""
    if not is_published(subject.assessment):
        if not access.is_office:
            raise PermissionDenied(_("考核结果公示后才能打印报告"))
        return
    if not (is_reviewer(access) or is_responsible(access, subject)):
        raise PermissionDenied(_("只能打印本人负责对象的考核报告"))


def check_ranking_notice(access: Access, assessment: Assessment) -> None:
    if not is_published(assessment) and not access.is_office:
        raise PermissionDenied(_("考核结果公示后才能打印排名通报"))


def competition_to_print(access: Access, period: Period) -> tuple[CompetitionResult, object | None]:
    """(result, published_at or None): the published snapshot, or the office's preview.

    404 when nothing can be printed: not published (for others than the office),
    or not decidable yet (for the office).
    """
    published = publication_for(access, period)
    if published is not None:
        return published.result, published.publication.published_at
    if access.is_office:
        preview = competition_for(period)
        if preview is not None:
            return preview, None
    raise Http404(_("本月指挥组评比尚未发布"))
