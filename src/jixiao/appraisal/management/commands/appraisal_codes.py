"""Issue N invitation codes for a collecting round and write them to a file, one a line.

For load tests (benchmarks/locust_survey.py) and for offices that print
invitations elsewhere (a print shop's mail merge):

    jixiao manage appraisal_codes --count 5000 --out codes.txt [--round PK]

Without --round, the newest collecting round is used. The codes are spread over
the frame's strata in proportion to their size (largest remainder). The file is
the only place the plain codes exist: keep it as safe as printed invitations.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jixiao.appraisal.models import AppraisalRound, RoundStatus
from jixiao.appraisal.responses import MAX_CODES, codes_issue
from jixiao.appraisal.sampling import allocate_proportional
from jixiao.appraisal.selectors import round_population


class Command(BaseCommand):
    help = "Issue single-use invitation codes for a collecting round and write them to a file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--out", required=True, help="file to write, one code a line")
        parser.add_argument("--round", type=int, default=None, help="default: newest collecting")

    def handle(self, *args, count: int, out: str, round: int | None, **options) -> None:
        rounds = AppraisalRound.objects.filter(status=RoundStatus.COLLECTING)
        appraisal_round = (
            rounds.filter(pk=round).first() if round is not None else rounds.order_by("-pk").first()
        )
        if appraisal_round is None:
            raise CommandError("no collecting appraisal round (start the demo, or pass --round)")
        if count < 1:
            raise CommandError("--count must be at least 1")
        population = round_population(appraisal_round)
        if not population:
            raise CommandError(f"the frame of round {appraisal_round.pk} has no active respondents")
        # Proportional to the frame, as a sample would be (more codes than people is fine here).
        scale = -(-count // sum(population.values()))
        shares = allocate_proportional({s: n * scale for s, n in population.items()}, count)
        codes: list[str] = []
        pending = [(s, n) for s, n in sorted(shares.items()) if n]
        try:
            while pending:
                batch: dict[str, int] = {}
                room = MAX_CODES
                while pending and room:
                    stratum, n = pending.pop(0)
                    take = min(n, room)
                    batch[stratum] = take
                    room -= take
                    if n > take:
                        pending.insert(0, (stratum, n - take))
                codes += codes_issue(actor=None, round=appraisal_round, count_by_stratum=batch)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        Path(out).write_text("\n".join(codes) + "\n", encoding="ascii")
        self.stdout.write(f"{len(codes)} codes for round {appraisal_round.pk} written to {out}")
