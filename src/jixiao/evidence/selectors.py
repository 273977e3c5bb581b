"""Who may read an evidence file.

Evidence belongs to whatever it is attached to (a progress report, an inspection…);
the rule is: same organisation, and the right to see one of those owners. Other
areas add their own owner check to ``_OWNER_CHECKS`` (one line each).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from jixiao.evidence.models import Evidence
from jixiao.organisation.access import Access


def _via_progress_report(access: Access, evidence: Evidence) -> bool:
    # Imported here: progress imports evidence, not the other way round.
    from jixiao.progress.models import ProgressReport
    from jixiao.targets.selectors import targets_visible_to

    return ProgressReport.objects.filter(
        evidence=evidence, target__in=targets_visible_to(access).values("pk")
    ).exists()


def _via_inspection(access: Access, evidence: Evidence) -> bool:
    from jixiao.inspections.selectors import evidence_readable

    return evidence_readable(access, evidence)


def _via_rectification(access: Access, evidence: Evidence) -> bool:
    from jixiao.rectification.selectors import items_for

    return items_for(access).filter(evidence=evidence).exists()


def _own_upload(access: Access, evidence: Evidence) -> bool:
    user_id = getattr(access.user, "pk", None)
    return user_id is not None and evidence.uploaded_by_id == user_id


# Each check answers "may this user see something this evidence is attached to?".
_OWNER_CHECKS: list[Callable[[Access, Evidence], bool]] = [
    _own_upload,
    _via_progress_report,
    _via_inspection,
    _via_rectification,
]


def can_read_evidence(access: Access, evidence: Evidence) -> bool:
    if evidence.org_id != access.org.pk:
        return False
    if access.reads_everything:
        return True
    return any(check(access, evidence) for check in _OWNER_CHECKS)


def evidence_in_org(access: Access) -> QuerySet[Evidence]:
    """The organisation's evidence (look-ups by id 404 outside it)."""
    return Evidence.objects.filter(org=access.org)
