"""Scheme nodes another source feeds, so the leadership group does not score them.

- A peer-ballot round of the assessment feeds its node for every subject, from
  the moment the round exists: while voting the node waits for the result.
- A public appraisal round of the assessment's organisation and period feeds its
  node for the subjects whose unit the questionnaire rates (its scale items);
  the scorers keep the node for the other subjects. When several rounds name the
  same node, the latest closed one counts (as in ``inputs.public_results``),
  else the latest one; a ballot round takes precedence over an appraisal round
  (as in ``inputs.ballot_results``).

Only closed rounds give a value (``inputs.ballot_results``); this module says
who feeds what, in a fixed number of queries, for the scoring page, the to-do
list and the scoring service.
"""

from __future__ import annotations

from dataclasses import dataclass

BALLOT = "ballot"
PUBLIC = "public"


@dataclass(frozen=True)
class FedSource:
    node: str
    kind: str  # BALLOT | PUBLIC
    round_id: int
    title: str
    closed: bool
    subject_ids: frozenset[int] | None  # None: every subject of the assessment

    def feeds(self, subject_id: int) -> bool:
        return self.subject_ids is None or subject_id in self.subject_ids


class FedSources(dict[str, FedSource]):
    """node → the source that feeds it."""

    def for_subject(self, subject_id: int) -> dict[str, FedSource]:
        return {node: source for node, source in self.items() if source.feeds(subject_id)}

    def everywhere(self) -> set[str]:
        """Nodes fed for every subject (ballot rounds)."""
        return {node for node, source in self.items() if source.subject_ids is None}


def fed_sources(assessment) -> FedSources:
    """Every node fed by a ballot round or a public appraisal round (two to four queries)."""
    sources = FedSources()
    for node, source in _public_sources(assessment).items():
        sources[node] = source
    for ballot_round in assessment.ballot_rounds.order_by("pk"):
        sources[ballot_round.node] = FedSource(
            node=ballot_round.node,
            kind=BALLOT,
            round_id=ballot_round.pk,
            title=ballot_round.title,
            closed=ballot_round.status == "closed",
            subject_ids=None,
        )
    return sources


def _public_sources(assessment) -> dict[str, FedSource]:
    try:
        from jixiao.appraisal.models import AppraisalRound, Question, QuestionKind
    except ImportError:  # the appraisal area is not installed in this build
        return {}
    rounds = list(
        AppraisalRound.objects.filter(
            org_id=assessment.year.org_id, period_id=assessment.period_id
        ).order_by("pk")
    )
    if not rounds:
        return {}
    chosen: dict[str, AppraisalRound] = {}
    for appraisal_round in rounds:  # in pk order: the later round replaces the earlier
        current = chosen.get(appraisal_round.node)
        closed = appraisal_round.status == "closed"
        if current is None or closed or current.status != "closed":
            chosen[appraisal_round.node] = appraisal_round
    units_of: dict[int, set[int]] = {}
    for questionnaire_id, unit_id in Question.objects.filter(
        questionnaire_id__in={r.questionnaire_id for r in chosen.values()},
        kind=QuestionKind.SCALE,
        unit__isnull=False,
    ).values_list("questionnaire_id", "unit_id"):
        units_of.setdefault(questionnaire_id, set()).add(unit_id)
    subject_of_unit = dict(
        assessment.subjects.filter(unit__isnull=False).values_list("unit_id", "pk")
    )
    return {
        node: FedSource(
            node=node,
            kind=PUBLIC,
            round_id=appraisal_round.pk,
            title=appraisal_round.name,
            closed=appraisal_round.status == "closed",
            subject_ids=frozenset(
                subject_of_unit[unit_id]
                for unit_id in units_of.get(appraisal_round.questionnaire_id, ())
                if unit_id in subject_of_unit
            ),
        )
        for node, appraisal_round in chosen.items()
    }
