"""公众评议 for respondents: type or scan a code, answer on a phone, done.

No login and no session: the code in the URL is the only key, and the CSRF
cookie the only cookie. An unknown, used or closed code gets one and the same
refusal (404), so the page tells a guesser nothing. Each page costs two small
queries (the code with its round and questionnaire, then the questions); a
submission is one short transaction (see ``appraisal.responses``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from jixiao.appraisal.models import QuestionKind
from jixiao.appraisal.responses import code_normalise, response_submit
from jixiao.appraisal.selectors import SCALE_LABELS, invitation_for_code, questionnaire_questions


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "survey/refused.html", status=404)


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """The code form (for people who type the code from the paper invitation)."""
    raw = request.GET.get("code", "")
    if raw:
        code = code_normalise(raw)
        if code:
            return redirect("survey:answer", code)
        return render(request, "survey/start.html", {"raw": raw, "invalid": True}, status=404)
    return render(request, "survey/start.html", {"raw": ""})


def posted_answers(post, questions, prefix: str = "q") -> dict[str, object]:
    """The questionnaire's answers from a form whose fields are ``<prefix><question id>``
    (the interviewer's page uses the same reading with its own prefix)."""
    answers: dict[str, object] = {}
    for q in questions:
        name = f"{prefix}{q.pk}"
        if q.kind == QuestionKind.MULTIPLE:
            answers[str(q.pk)] = post.getlist(name)
        else:
            answers[str(q.pk)] = post.get(name, "")
    return answers


def _rows(questions, answers, errors) -> list[dict]:
    """What the template needs per question: its choices, what was chosen, its error."""
    rows = []
    for number, q in enumerate(questions, start=1):
        given = answers.get(str(q.pk))
        if q.kind == QuestionKind.SCALE:
            choices = [(str(level), label) for level, label in SCALE_LABELS.items()]
        else:
            choices = [(str(i), option) for i, option in enumerate(q.options)]
        chosen = {str(v) for v in given} if isinstance(given, list) else {str(given or "")}
        rows.append(
            {
                "number": number,
                "question": q,
                "choices": choices,
                "chosen": chosen,
                "text": given if q.kind == QuestionKind.TEXT and isinstance(given, str) else "",
                "errors": errors.get(f"q{q.pk}", []),
            }
        )
    return rows


@never_cache
def answer(request: HttpRequest, code: str) -> HttpResponse:
    invitation = invitation_for_code(code)
    if invitation is None:
        return _refused(request)
    appraisal_round = invitation.round
    questions = questionnaire_questions(appraisal_round.questionnaire_id)
    answers: dict[str, object] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        answers = posted_answers(request.POST, questions)
        try:
            response_submit(round=appraisal_round, answers=answers, mode="web", code=code)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            if "code" in errors or "round" in errors:
                return _refused(request)  # used meanwhile (a second tab), or closed
        else:
            return redirect("survey:thanks")
    context = {
        "round": appraisal_round,
        "questionnaire": appraisal_round.questionnaire,
        "rows": _rows(questions, answers, errors),
        "error_count": sum(len(v) for v in errors.values()),
        "other_errors": [m for k, v in errors.items() if not k.startswith("q") for m in v],
    }
    return render(request, "survey/answer.html", context, status=400 if errors else 200)


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "survey/thanks.html")
